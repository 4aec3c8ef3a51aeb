// The voter's rights pages (RIGHTS-1): plain HTML forms, no JavaScript, in the organisation's
// languages (French and English; Arabic first for a Moroccan organisation), linked from a
// message's page (`/m/:ref`) and from the privacy notice.
//   GET  /r/:orgId[?ref=]      the request form (the kind, the email on file, details; a phone
//                              number once codes can go by SMS, issue 16)
//   POST /r/:orgId             asks for a code -> 303 to the code page
//   GET  /r/requests/:id       the code form: the same page whether or not the address is on file
//   POST /r/requests/:id       confirms the code -> the outcome (access: the data, and its JSON)
// Identity is proven by a code sent to the address on file, never by questions. No page says
// whether an address is held, none shows it back before the code is confirmed, no URL carries
// personal data (the form posts its fields; the language is the only query besides a message's
// reference), and every page is `Cache-Control: no-store`.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../../domain/errors.ts';
import { getOrganisation, type Organisation } from '../../domain/organisations/organisations.ts';
import type { AccessAnswer } from '../../domain/rights/access-answer.ts';
import { confirmRightsRequest } from '../../domain/rights/confirm-request.ts';
import { rightsRequestForPage, type RequestForPage } from '../../domain/rights/request-page.ts';
import { createRightsRequest } from '../../domain/rights/requests.ts';
import {
  noticeLanguage,
  sourceInPublicWords,
  sourceTypeWords,
} from '../../domain/outreach/notice-words.ts';
import { PACKS } from '../../policy/jurisdictions.ts';
import type { SourceTypeName } from '../../policy/packs.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { permit } from '../permit.ts';
import { noStore, page, voterLanguage, type VoterLang } from '../public-page.ts';
import { languageLinks } from './language-links.ts';
import {
  dateIn,
  KINDS,
  REGULATOR_NAMES,
  SOURCE_TYPES_AR,
  WORDS,
  type FieldError,
  type Kind,
} from './rights-words.ts';
import { clientAddress } from './session.ts';

type Html = ReturnType<typeof html>;

/**
 * Whether a code can go out by SMS. Not until issue 16 gives Isoloir an SMS channel: till then
 * the form asks for an email address only and tells someone with only a phone number on file to
 * write to the DPO (a code by SMS would never arrive while the page said one was sent).
 */
const SMS_AVAILABLE = false;
type Jurisdiction = Organisation['jurisdiction'];

/** Form controls at phone size, the error box, the language links (the shell has the rest). */
const STYLE = html`<style>
  label,
  legend {
    display: block;
    font-weight: 600;
    margin-top: 0.9rem;
  }
  fieldset {
    border: 1px solid #8c8c8c;
    border-radius: 4px;
    margin: 1.2rem 0;
    padding: 0.2rem 0.9rem 0.9rem;
    min-width: 0;
  }
  .choice {
    display: flex;
    gap: 0.6rem;
    align-items: flex-start;
    margin-top: 0.7rem;
  }
  .choice input {
    flex: none;
    width: 1.25rem;
    height: 1.25rem;
    margin: 0.2rem 0 0;
  }
  .choice label {
    margin: 0;
    font-weight: 400;
  }
  .hint {
    display: block;
    color: #4d4d4d;
    font-size: 0.95rem;
    font-weight: 400;
    margin: 0.2rem 0;
  }
  input[type='email'],
  input[type='tel'],
  input[type='text'],
  textarea {
    display: block;
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    padding: 0.5rem;
    margin-top: 0.3rem;
    border: 1px solid #595959;
    border-radius: 4px;
  }
  input:focus-visible,
  textarea:focus-visible {
    outline: 3px solid #b35900;
    outline-offset: 2px;
  }
  button {
    margin-top: 1.2rem;
  }
  .error {
    border-inline-start: 4px solid #b00020;
    background: #fdecee;
    padding: 0.6rem 0.9rem;
  }
  nav ul {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: 1rem;
    padding: 0;
  }
  dd,
  li,
  p {
    overflow-wrap: anywhere;
  }
</style>`;

const notFound = () => DomainError.keyed('not_found', 'public.not_found', 'no such page');

/** The organisation a link names; anything else (a malformed id, no such one) is a 404 page. */
async function organisationOf(s: Services, orgId: string): Promise<Organisation> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(orgId))
    throw notFound();
  return getOrganisation(s.db, { orgId }).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'not_found') throw notFound();
    throw error;
  });
}

/** `?lang=` carried along only when the voter chose a language through the links. */
const langQuery = (c: Context, lang: VoterLang) =>
  c.req.query('lang') === lang ? `lang=${lang}` : '';

function regulatorLine(
  lang: VoterLang,
  jurisdiction: Jurisdiction,
  words: (name: string) => string,
) {
  const { url } = PACKS[jurisdiction].regulator;
  return html`<p>${words(REGULATOR_NAMES[jurisdiction][lang])} <a href="${url}">${url}</a></p>`;
}

function respond(
  c: Context,
  lang: VoterLang,
  title: string,
  body: Html,
  status: ContentfulStatusCode = 200,
) {
  noStore(c);
  return c.html(page(lang, title, html`${STYLE}${body}`), status);
}

const errorBox = (lang: VoterLang, message: string) =>
  html`<p class="error" role="alert" id="form-error">
    <strong>${WORDS[lang].errorTitle}${lang === 'fr' ? ' :' : ':'}</strong> ${message}
  </p>`;

/** Marks a control as the one in error, pointing at the error's text. */
const invalid = (yes: boolean) =>
  yes ? html` aria-invalid="true" aria-describedby="form-error"` : html``;

type FormValues = { kind?: string; email?: string; phone?: string; details?: string; ref?: string };

function requestForm(
  c: Context,
  org: Organisation,
  lang: VoterLang,
  values: FormValues,
  error?: FieldError,
  status: ContentfulStatusCode = 200,
) {
  const t = WORDS[lang];
  const query = (l: VoterLang) =>
    `/r/${org.id}?${[values.ref ? `ref=${encodeURIComponent(values.ref)}` : '', `lang=${l}`]
      .filter(Boolean)
      .join('&')}`;
  const lq = langQuery(c, lang);
  const action = `/r/${org.id}${lq ? `?${lq}` : ''}`;
  const addressError =
    error === 'address_missing' ||
    error === 'address_both' ||
    error === 'address_missing_email' ||
    error === 'phone_unavailable';
  const dpo = org.dpoName ? `${org.dpoName} (${org.dpoEmail})` : org.dpoEmail;
  const detailsError = error === 'details_missing' || error === 'details_long';
  return respond(
    c,
    lang,
    error ? `${t.errorTitle} — ${t.formTitle}` : t.formTitle,
    html`${languageLinks(WORDS[lang].languages, lang, org.jurisdiction, query)}
      <h1>${t.formHeading(org.legalName)}</h1>
      ${error ? errorBox(lang, t.errors[error]) : ''}
      <p>${SMS_AVAILABLE ? t.intro : t.introEmail}</p>
      <form method="post" action="${action}">
        <fieldset${invalid(error === 'kind')}>
          <legend>${t.kindLegend}</legend>
          ${KINDS.map(
            (k) =>
              html`<div class="choice">
                <input
                  type="radio"
                  name="kind"
                  id="kind-${k}"
                  value="${k}"
                  required
                  ${values.kind === k ? html`checked` : ''}
                />
                <label for="kind-${k}"
                  ><strong>${t.kinds[k].label}</strong>
                  <span class="hint">${t.kinds[k].line}</span></label
                >
              </div>`,
          )}
        </fieldset>
        <fieldset>
          <legend>${t.reachLegend}</legend>
          <p class="hint">${SMS_AVAILABLE ? t.reachHint : t.reachHintEmail}</p>
          <p class="hint">${t.identity}</p>
          <label for="email">${t.email}</label>
          <input
            type="email"
            id="email"
            name="email"
            dir="ltr"
            autocomplete="email"
            maxlength="320"
            value="${values.email ?? ''}"
            ${invalid(addressError || error === 'email')}
          />
          ${
            SMS_AVAILABLE
              ? html`<label for="phone">${t.phone}</label>
                  <input
                    type="tel"
                    id="phone"
                    name="phone"
                    dir="ltr"
                    autocomplete="tel"
                    maxlength="40"
                    value="${values.phone ?? ''}"
                    ${invalid(addressError || error === 'phone')}
                  />`
              : html`<p class="hint">
                  ${t.phoneOnly(dpo)}
                  <a href="mailto:${org.dpoEmail}" dir="ltr">${org.dpoEmail}</a>.
                </p>`
          }
        </fieldset>
        <label for="details">${t.details}</label>
        <span class="hint" id="details-hint">${t.detailsHint}</span>
        <textarea
          id="details"
          name="details"
          rows="4"
          maxlength="2000"
          ${
            detailsError
              ? html`aria-invalid="true" aria-describedby="form-error details-hint"`
              : html`aria-describedby="details-hint"`
          }
        >
${values.details ?? ''}</textarea
        >
        ${values.ref ? html`<input type="hidden" name="ref" value="${values.ref}" />` : ''}
        <button type="submit">${t.send}</button>
      </form>
      <p>${t.month}</p>
      ${regulatorLine(lang, org.jurisdiction, t.regulator)}`,
    status,
  );
}

/** The code form: its words never depend on whether the address is on file (RIGHTS-1). */
function codeForm(
  c: Context,
  org: Organisation,
  lang: VoterLang,
  problem?: { message: string },
  status: ContentfulStatusCode = 200,
) {
  const t = WORDS[lang];
  const lq = langQuery(c, lang);
  return respond(
    c,
    lang,
    problem ? `${t.errorTitle} — ${t.codeTitle}` : t.codeTitle,
    html`${languageLinks(WORDS[lang].languages, lang, org.jurisdiction, (l) => `?lang=${l}`)}
      <h1>${t.codeTitle}</h1>
      ${problem ? errorBox(lang, problem.message) : ''}
      <p>${t.codeSent}</p>
      <form method="post" ${lq ? html`action="?${lq}"` : ''}>
        <label for="code">${t.codeLabel}</label>
        <span class="hint" id="code-hint">${t.codeHint}</span>
        <input
          type="text"
          id="code"
          name="code"
          dir="ltr"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxlength="6"
          required
          ${
            problem
              ? html`aria-invalid="true" aria-describedby="form-error code-hint"`
              : html`aria-describedby="code-hint"`
          }
        />
        <button type="submit">${t.confirm}</button>
      </form>
      <p>${t.codeSilent}</p>
      <p><a href="/r/${org.id}${lq ? `?${lq}` : ''}">${t.startAgain}</a></p>`,
    status,
  );
}

/** A request that can no longer be confirmed (locked, or its code ran out): how to start again. */
function deadEnd(
  c: Context,
  org: Organisation,
  lang: VoterLang,
  why: 'locked' | 'expired',
  status: ContentfulStatusCode,
) {
  const t = WORDS[lang];
  const lq = langQuery(c, lang);
  const [title, text] = why === 'locked' ? [t.lockedTitle, t.locked] : [t.expiredTitle, t.expired];
  return respond(
    c,
    lang,
    title,
    html`<h1>${title}</h1>
      <p>${text}</p>
      <p><a href="/r/${org.id}${lq ? `?${lq}` : ''}">${t.startAgain}</a></p>`,
    status,
  );
}

function throttled(c: Context, org: Organisation, lang: VoterLang) {
  const t = WORDS[lang];
  c.header('Retry-After', '3600');
  return respond(
    c,
    lang,
    t.throttledTitle,
    html`<h1>${t.throttledTitle}</h1>
      <p>${t.throttled}</p>
      ${regulatorLine(lang, org.jurisdiction, t.regulator)}
      <p class="code"><code>rights.throttled</code></p>`,
    429,
  );
}

type Outcome = 'erased' | 'objected' | 'queued' | 'objectionQueued' | 'nothing' | 'answered';

/** What happened, from the confirmation's answer (its outcome when it names one). */
function outcomeOf(kind: string, result: { status: string; outcome?: string | null }): Outcome {
  if (result.outcome === 'nothing_held') return 'nothing';
  if (result.outcome === 'erased') return 'erased';
  if (result.outcome === 'objected') return 'objected';
  if (result.status === 'open' || result.status === 'extended')
    return kind === 'objection' ? 'objectionQueued' : 'queued';
  if (kind === 'erasure') return 'erased';
  if (kind === 'objection') return 'objected';
  return 'answered';
}

/** A request past its code: where it stands, when it is due, what happens next, the regulator. */
function statusPage(
  c: Context,
  org: Organisation,
  lang: VoterLang,
  request: { kind: string; status: string; dueAt: Date | string; outcome?: string | null },
  status: ContentfulStatusCode = 200,
) {
  const t = WORDS[lang];
  const kind = (KINDS as readonly string[]).includes(request.kind) ? (request.kind as Kind) : null;
  return respond(
    c,
    lang,
    t.doneTitle,
    html`<h1>${t.doneTitle}</h1>
      <dl>
        ${
          kind
            ? html`<dt>${t.kindLegend}</dt>
                <dd>${t.kinds[kind].label}</dd>`
            : ''
        }
        <dt>${t.statusLabel}</dt>
        <dd>${t.status[request.status] ?? request.status}</dd>
        <dt>${t.dueLabel}</dt>
        <dd>${dateIn(lang, request.dueAt)}</dd>
        <dt>${t.nextLabel}</dt>
        <dd>${t.next[outcomeOf(request.kind, request)]}</dd>
      </dl>
      ${regulatorLine(lang, org.jurisdiction, t.complain)}`,
    status,
  );
}

const fieldsList = (lang: VoterLang, values: Record<string, unknown>) => {
  const entries = Object.entries(values).filter(
    ([, v]) => v !== null && v !== undefined && v !== '',
  );
  if (!entries.length) return html`<p>${WORDS[lang].none}</p>`;
  return html`<dl>
    ${entries.map(
      ([k, v]) =>
        html`<dt>${WORDS[lang].fields[k] ?? k}</dt>
          <dd>
            <bdi>${k === 'birthDate' && typeof v === 'string' ? dateIn(lang, v) : String(v)}</bdi>
          </dd>`,
    )}
  </dl>`;
};

const listOr = <T>(lang: VoterLang, items: T[], item: (x: T) => Html) =>
  items.length
    ? html`<ul>
        ${items.map((x) => html`<li>${item(x)}</li>`)}
      </ul>`
    : html`<p>${WORDS[lang].none}</p>`;

type Source = AccessAnswer['contacts'][number]['sources'][number];

/** A source's type in the page's language. */
const sourceWords = (lang: VoterLang, src: Source) =>
  lang === 'ar'
    ? ((SOURCE_TYPES_AR as Record<string, string>)[src.type] ?? src.type)
    : sourceTypeWords(lang, src.type as SourceTypeName);

/**
 * The organisation's own public description of a source, when it gave one: what the answer's
 * description adds to the standard words (in the notices' language, marked as such).
 */
function ownWords(org: Organisation, src: Source) {
  const lang = noticeLanguage(org.jurisdiction);
  const base = sourceInPublicWords(lang, {
    type: src.type as SourceTypeName,
    obtainedOn: src.obtainedOn,
  });
  const extra = src.description.startsWith(base) ? src.description.slice(base.length).trim() : '';
  return extra ? html` <bdi lang="${lang}">${extra}</bdi>` : '';
}

/** The access answer (GDPR art. 15) as readable sections, and the same JSON to download. */
function accessPage(
  c: Context,
  org: Organisation,
  lang: VoterLang,
  data: AccessAnswer,
  dueAt: Date | string,
) {
  const t = WORDS[lang];
  const json = JSON.stringify(data, null, 2);
  const href = `data:application/json;base64,${Buffer.from(json, 'utf8').toString('base64')}`;
  const day = data.generatedAt.slice(0, 10);
  const channel = (x: string) => t.channels[x] ?? x;
  const contacts = data.contacts;
  return respond(
    c,
    lang,
    t.accessTitle,
    html`<h1>${t.accessTitle}</h1>
      <p>${org.legalName}. ${t.accessGenerated(dateIn(lang, data.generatedAt))}</p>
      <p>
        <a download="access-${day}.json" href="${href}" type="application/json">${t.download}</a>
      </p>
      ${contacts.length === 0 ? html`<p>${t.accessNothing}</p>` : ''}
      ${contacts.map(
        (contact, i) =>
          html`<section aria-labelledby="record-${i + 1}">
            ${
              contacts.length > 1
                ? html`<h2 id="record-${i + 1}">${t.record(i + 1)}</h2>`
                : html`<h2 id="record-${i + 1}">${t.sections.identity}</h2>`
            }
            ${contacts.length > 1 ? html`<h3>${t.sections.identity}</h3>` : ''}
            ${fieldsList(lang, contact.identity as Record<string, unknown>)}
            <h3>${t.sections.attributes}</h3>
            ${fieldsList(lang, contact.attributes)}
            <h3>${t.sections.sources}</h3>
            ${listOr(
              lang,
              contact.sources,
              (src) =>
                html`${sourceWords(lang, src)} — ${t.obtained(dateIn(lang, src.obtainedOn))},
                ${t.recorded(dateIn(lang, src.recordedAt))}${ownWords(org, src)}`,
            )}
            <h3>${t.sections.consent}</h3>
            ${listOr(
              lang,
              contact.consent,
              (e) =>
                html`${dateIn(lang, e.occurredAt)} — ${t.actions[e.action] ?? e.action},
                ${channel(e.channel)}, ${e.purpose},
                ${t.methods[e.method] ?? e.method}${
                  e.wording
                    ? lang === 'en'
                      ? html` — “${e.wording}”`
                      : html` — « ${e.wording} »`
                    : ''
                }`,
            )}
            <h3>${t.sections.messages}</h3>
            ${listOr(
              lang,
              contact.messages,
              (m) =>
                html`${m.sentAt ? dateIn(lang, m.sentAt) : '—'} — ${channel(m.channel)} —
                  ${m.campaign} <span class="hint">(${t.reference} <code>${m.ref}</code>)</span>`,
            )}
            <h3>${t.sections.retention}</h3>
            <p>
              ${
                contact.retainedUntil
                  ? t.keptUntil(dateIn(lang, contact.retainedUntil))
                  : /relation/i.test(contact.retention ?? '')
                    ? t.keptWhileRelationship
                    : t.keptForCampaign
              }
            </p>
          </section>`,
      )}
      <p>${t.month} ${t.dueLabel} ${dateIn(lang, dueAt)}.</p>
      ${regulatorLine(lang, org.jurisdiction, t.complain)}`,
  );
}

/** Which of the form's fields a domain refusal is about. */
function fieldOf(error: DomainError): FieldError | undefined {
  if (error.code !== 'invalid') return undefined;
  if (error.key === 'rights.identifier_required') return 'address_missing';
  if (error.key === 'rights.invalid_phone') return 'phone';
  if (error.key === 'rights.phone_unavailable') return 'phone_unavailable';
  if (error.key === 'rights.details_required') return 'details_missing';
  if (error.key === 'rights.ref_unknown') return 'ref';
  const field = String(error.params?.field ?? error.message.split(':')[0] ?? '');
  if (field === 'kind') return 'kind';
  if (field === 'email') return 'email';
  if (field === 'phone') return 'phone';
  if (field === 'ref') return 'ref';
  if (field === 'details') return 'details_long';
  return undefined;
}

const text = (form: Record<string, unknown>, name: string) => {
  const v = form[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** The form's own checks, so that each error names its field in the voter's language. */
function formProblem(values: Required<FormValues>): FieldError | undefined {
  if (!(KINDS as readonly string[]).includes(values.kind)) return 'kind';
  if (!SMS_AVAILABLE && values.phone) return 'phone_unavailable';
  if (!values.email && !values.phone)
    return SMS_AVAILABLE ? 'address_missing' : 'address_missing_email';
  if (values.email && values.phone) return 'address_both';
  if (values.email.length > 320) return 'email';
  if (values.phone.length > 40) return 'phone';
  const needsDetails = values.kind === 'rectification' || values.kind === 'restriction';
  if (needsDetails && !values.details) return 'details_missing';
  if (values.details.length > 2000) return 'details_long';
  return undefined;
}

const wrongCodeKey = (e: unknown) =>
  e instanceof DomainError && e.key === 'rights.code_wrong' ? e : undefined;

export function rightsPageRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/r/requests/:requestId', permit(s, 'public'), async (c) => {
      const request = await rightsRequestForPage(s.db, {
        requestId: c.req.param('requestId'),
        now: s.clock(),
      });
      const org = await organisationOf(s, request.orgId);
      const lang = voterLanguage(c, org.jurisdiction);
      return requestState(c, org, lang, request, 200);
    })
    .post('/r/requests/:requestId', permit(s, 'public'), async (c) => {
      const requestId = c.req.param('requestId');
      const request = await rightsRequestForPage(s.db, { requestId, now: s.clock() });
      const org = await organisationOf(s, request.orgId);
      const lang = voterLanguage(c, org.jurisdiction);
      const t = WORDS[lang];
      if (request.status !== 'awaiting_code' || request.codeExpired)
        return requestState(c, org, lang, request, 409);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const code = text(form, 'code').replace(/\s+/g, '');
      if (!/^\d{6}$/.test(code)) return codeForm(c, org, lang, { message: t.errors.code }, 400);
      let result: Awaited<ReturnType<typeof confirmRightsRequest>>;
      try {
        result = await confirmRightsRequest(s.db, {
          keys: s.keys,
          clock: s.clock,
          requestId: request.id,
          code,
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (wrongCodeKey(error)) {
          const now = await rightsRequestForPage(s.db, { requestId: request.id, now: s.clock() });
          const left = Number(
            error.params?.remaining ?? error.params?.attemptsLeft ?? now.attemptsLeft,
          );
          if (now.status === 'locked' || left <= 0) return deadEnd(c, org, lang, 'locked', 409);
          return codeForm(c, org, lang, { message: t.wrongCode(left) }, 400);
        }
        if (error.key === 'rights.request_locked') return deadEnd(c, org, lang, 'locked', 409);
        if (error.key === 'rights.code_expired') return deadEnd(c, org, lang, 'expired', 410);
        if (error.code === 'throttled') return throttled(c, org, lang);
        if (error.code === 'conflict') {
          const now = await rightsRequestForPage(s.db, { requestId: request.id, now: s.clock() });
          return requestState(c, org, lang, now, 409);
        }
        throw error;
      }
      if (request.kind === 'access' && result.data)
        return accessPage(c, org, lang, result.data, result.dueAt);
      // What was done (erased, objected, queued, nothing held) is the request's outcome.
      const done = await rightsRequestForPage(s.db, { requestId: request.id, now: s.clock() });
      return statusPage(c, org, lang, { ...done, status: result.status, dueAt: result.dueAt });
    })
    .get('/r/:orgId', permit(s, 'public'), async (c) => {
      const org = await organisationOf(s, c.req.param('orgId'));
      const lang = voterLanguage(c, org.jurisdiction);
      // A message's reference is only carried when it looks like one; the request checks it.
      const ref = c.req.query('ref');
      return requestForm(c, org, lang, ref && /^[0-9a-f]{32}$/.test(ref) ? { ref } : {});
    })
    .post('/r/:orgId', permit(s, 'public'), async (c) => {
      const org = await organisationOf(s, c.req.param('orgId'));
      const lang = voterLanguage(c, org.jurisdiction);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const values = {
        kind: text(form, 'kind'),
        email: text(form, 'email'),
        phone: text(form, 'phone'),
        details: text(form, 'details'),
        ref: text(form, 'ref'),
      };
      const problem = formProblem(values);
      if (problem) return requestForm(c, org, lang, values, problem, 400);
      const needsDetails = values.kind === 'rectification' || values.kind === 'restriction';
      let id: string;
      try {
        ({ id } = await createRightsRequest(s.db, {
          keys: s.keys,
          clock: s.clock,
          orgId: org.id,
          input: {
            kind: values.kind,
            ...(values.email ? { email: values.email } : { phone: values.phone }),
            ...(values.ref ? { ref: values.ref } : {}),
            ...(needsDetails ? { details: values.details } : {}),
          },
          client: clientAddress(c),
          // No SMS channel exists until issue 16 (SMS_AVAILABLE above).
          smsAvailable: SMS_AVAILABLE,
        }));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'throttled') return throttled(c, org, lang);
        const field = fieldOf(error);
        if (!field) throw error;
        // A reference that is not this organisation's is dropped: the form can be sent without it.
        const shown = field === 'ref' ? { ...values, ref: '' } : values;
        return requestForm(c, org, lang, shown, field, 400);
      }
      noStore(c);
      const lq = langQuery(c, lang);
      return c.redirect(`/r/requests/${id}${lq ? `?${lq}` : ''}`, 303);
    });
}

/** The page of a request as it stands: its code form, a dead end, or where it is. */
function requestState(
  c: Context,
  org: Organisation,
  lang: VoterLang,
  request: RequestForPage,
  status: ContentfulStatusCode,
) {
  if (request.status === 'locked') return deadEnd(c, org, lang, 'locked', status);
  if (request.codeExpired) return deadEnd(c, org, lang, 'expired', status === 200 ? 200 : 410);
  if (request.status === 'awaiting_code') return codeForm(c, org, lang);
  return statusPage(c, org, lang, request, status);
}
