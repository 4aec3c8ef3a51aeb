// REP-1: a voter reports a message. The page `/m/:ref/report` is a form without JavaScript, in
// the organisation's languages (French, English; Arabic first for a Moroccan organisation): a
// reason from the closed list in plain words, optional words, and a note that the DPO reads it and
// that the voter may also complain to the regulator. Its POST records the report and redirects
// (303) to the thank-you page, so a reload does not post again. The public JSON API does the same
// for programs; the DPO reads the reports, each beside its message's compliance record.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../../domain/errors.ts';
import { getOrganisation, type Organisation } from '../../domain/organisations/organisations.ts';
import {
  COMMENT_MAX,
  listReports,
  recordReport,
  REPORT_REASONS,
  reportedMessage,
  type ReportReason,
} from '../../domain/rights/reports.ts';
import { PACKS } from '../../policy/jurisdictions.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';
import {
  noStore,
  page,
  publicErrorPage,
  voterLanguage,
  voterLanguages,
  type VoterLang,
} from '../public-page.ts';
import { languageLinks } from './language-links.ts';
import { clientAddress } from './session.ts';

type Words = {
  title: string;
  heading: string;
  intro: (org: string) => string;
  reasonLegend: string;
  reasons: Record<ReportReason, string>;
  commentLabel: string;
  commentHint: string;
  dpoNote: (org: string) => string;
  regulatorNote: (name: string) => string;
  submit: string;
  back: string;
  languages: string;
  errorHeading: string;
  errorReason: string;
  errorComment: string;
  doneTitle: string;
  doneHeading: string;
  done: (org: string) => string;
  throttledTitle: string;
  throttled: string;
};

const TEXT: Record<VoterLang, Words> = {
  fr: {
    title: 'Signaler ce message',
    heading: 'Signaler ce message',
    intro: (org) =>
      `Si ce message de ${org} ne vous semble pas conforme aux règles, dites-nous pourquoi.`,
    reasonLegend: 'Pourquoi signalez-vous ce message ?',
    reasons: {
      no_consent: 'Je n’ai jamais accepté de recevoir ces messages',
      had_objected: 'J’avais déjà demandé à ne plus en recevoir',
      no_way_to_stop: 'Le message ne donne aucun moyen de les arrêter',
      during_silence: 'Je l’ai reçu pendant la période de silence avant le vote',
      other_peoples_data: 'Il contient les données d’autres personnes, ou ne m’était pas destiné',
      other: 'Une autre raison',
    },
    commentLabel: 'Vos mots (facultatif)',
    commentHint: `${COMMENT_MAX} caractères au plus. Inutile d’y mettre vos coordonnées.`,
    dpoNote: (org) =>
      `Votre signalement est transmis au délégué à la protection des données de ${org}, qui le lira avec le dossier de ce message (sa source, les consentements, la campagne).`,
    regulatorNote: (name) => `Vous pouvez aussi déposer une plainte auprès de la ${name} :`,
    submit: 'Envoyer le signalement',
    back: 'Retour à la page du message',
    languages: 'Langues',
    errorHeading: 'Le signalement n’a pas été envoyé',
    errorReason: 'Raison : choisissez l’une des raisons de la liste.',
    errorComment: `Vos mots : ${COMMENT_MAX} caractères au plus.`,
    doneTitle: 'Signalement envoyé',
    doneHeading: 'Merci, votre signalement est enregistré',
    done: (org) => `Le délégué à la protection des données de ${org} va l’examiner.`,
    throttledTitle: 'Trop de signalements',
    throttled:
      'Trop de signalements ont été envoyés depuis cette adresse ou pour ce message. Merci de réessayer plus tard.',
  },
  en: {
    title: 'Report this message',
    heading: 'Report this message',
    intro: (org) => `If this message from ${org} does not seem to follow the rules, tell us why.`,
    reasonLegend: 'Why are you reporting this message?',
    reasons: {
      no_consent: 'I never agreed to receive these messages',
      had_objected: 'I had already asked to stop receiving them',
      no_way_to_stop: 'The message gives no way to make them stop',
      during_silence: 'I received it during the silence period before the vote',
      other_peoples_data: 'It contains other people’s data, or was not meant for me',
      other: 'Another reason',
    },
    commentLabel: 'Your words (optional)',
    commentHint: `At most ${COMMENT_MAX} characters. There is no need to give your details.`,
    dpoNote: (org) =>
      `Your report goes to the data-protection officer of ${org}, who reads it with this message’s record (its source, the consents, the campaign).`,
    regulatorNote: (name) => `You may also complain to ${name}:`,
    submit: 'Send the report',
    back: 'Back to the message’s page',
    languages: 'Languages',
    errorHeading: 'The report was not sent',
    errorReason: 'Reason: choose one of the reasons in the list.',
    errorComment: `Your words: at most ${COMMENT_MAX} characters.`,
    doneTitle: 'Report sent',
    doneHeading: 'Thank you, your report is recorded',
    done: (org) => `The data-protection officer of ${org} will look into it.`,
    throttledTitle: 'Too many reports',
    throttled:
      'Too many reports were sent from this address or about this message. Please try again later.',
  },
  ar: {
    title: 'الإبلاغ عن هذه الرسالة',
    heading: 'الإبلاغ عن هذه الرسالة',
    intro: (org) => `إذا بدا لك أن هذه الرسالة من ${org} لا تحترم القواعد، أخبرنا بالسبب.`,
    reasonLegend: 'لماذا تبلغ عن هذه الرسالة؟',
    reasons: {
      no_consent: 'لم أوافق أبدًا على تلقي هذه الرسائل',
      had_objected: 'سبق أن طلبت التوقف عن تلقيها',
      no_way_to_stop: 'لا تتضمن الرسالة أي وسيلة لإيقافها',
      during_silence: 'وصلتني خلال فترة الصمت الانتخابي قبل الاقتراع',
      other_peoples_data: 'تحتوي على معطيات أشخاص آخرين، أو لم تكن موجهة إلي',
      other: 'سبب آخر',
    },
    commentLabel: 'كلماتك (اختياري)',
    commentHint: `${COMMENT_MAX} حرف على الأكثر. لا داعي لذكر بياناتك الشخصية.`,
    dpoNote: (org) =>
      `يُحال بلاغك إلى المسؤول عن حماية المعطيات لدى ${org}، الذي يقرؤه مع ملف هذه الرسالة (مصدرها، الموافقات، الحملة).`,
    regulatorNote: (name) => `يمكنك أيضًا تقديم شكوى إلى ${name}:`,
    submit: 'إرسال البلاغ',
    back: 'العودة إلى صفحة الرسالة',
    languages: 'اللغات',
    errorHeading: 'لم يُرسل البلاغ',
    errorReason: 'السبب: اختر أحد الأسباب الواردة في القائمة.',
    errorComment: `كلماتك: ${COMMENT_MAX} حرف على الأكثر.`,
    doneTitle: 'تم إرسال البلاغ',
    doneHeading: 'شكرًا، تم تسجيل بلاغك',
    done: (org) => `سيقوم المسؤول عن حماية المعطيات لدى ${org} بدراسته.`,
    throttledTitle: 'بلاغات كثيرة',
    throttled: 'أُرسلت بلاغات كثيرة من هذا العنوان أو بشأن هذه الرسالة. يرجى المحاولة لاحقًا.',
  },
};

const STYLE = html`<style>
  fieldset {
    border: 1px solid #8a8a8a;
    border-radius: 4px;
    padding: 0.6rem 1rem;
    margin: 1rem 0;
  }
  legend {
    font-weight: 600;
    padding: 0 0.3rem;
  }
  .choice {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    margin: 0.5rem 0;
  }
  .choice input {
    margin-top: 0.35rem;
    width: 1.1rem;
    height: 1.1rem;
    flex: none;
  }
  label[for='comment'] {
    display: block;
    font-weight: 600;
    margin-top: 1rem;
  }
  textarea {
    font: inherit;
    width: 100%;
    box-sizing: border-box;
    min-height: 7rem;
    margin: 0.3rem 0;
  }
  .hint {
    color: #4d4d4d;
    font-size: 0.9rem;
    margin: 0;
  }
  .error {
    border: 2px solid #a61b1b;
    border-radius: 4px;
    padding: 0.5rem 1rem;
  }
  .error h2 {
    color: #a61b1b;
    font-size: 1.1rem;
    margin: 0.2rem 0;
  }
  nav ul {
    list-style: none;
    padding: 0;
    display: flex;
    gap: 1rem;
  }
  input:focus-visible,
  textarea:focus-visible {
    outline: 3px solid #b35900;
    outline-offset: 2px;
  }
</style>`;

const REF = /^[0-9a-f]{32}$/;

/** The organisation whose message a reference names; undefined when there is none. */
async function organisationOf(s: Services, ref: string): Promise<Organisation | undefined> {
  if (!REF.test(ref)) return undefined;
  try {
    const { orgId } = await reportedMessage(s.db, { ref });
    return await getOrganisation(s.db, { orgId });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return undefined;
    throw error;
  }
}

const notFoundPage = (c: Context) => publicErrorPage(c, 404, 'public.not_found', voterLanguages(c));

type FormState = { reason?: string; comment?: string; problem?: 'reason' | 'comment' };

function formPage(
  c: Context,
  org: Organisation,
  lang: VoterLang,
  ref: string,
  state: FormState = {},
  status: ContentfulStatusCode = 200,
) {
  const t = TEXT[lang];
  const regulator = PACKS[org.jurisdiction].regulator;
  noStore(c);
  const problem =
    state.problem === 'reason'
      ? t.errorReason
      : state.problem === 'comment'
        ? t.errorComment
        : undefined;
  return c.html(
    page(
      lang,
      problem ? `${t.errorHeading} — ${t.title}` : t.title,
      html`${STYLE}${languageLinks(TEXT[lang].languages, lang, org.jurisdiction, (l) => `?lang=${l}`)}
        <h1>${t.heading}</h1>
        <p>${t.intro(org.legalName)}</p>
        ${
          problem
            ? html`<div class="error" role="alert" id="problem">
                <h2>${t.errorHeading}</h2>
                <p>${problem}</p>
              </div>`
            : ''
        }
        <form method="post">
          <fieldset ${state.problem === 'reason' ? html`aria-describedby="problem"` : ''}>
            <legend>${t.reasonLegend}</legend>
            ${REPORT_REASONS.map(
              (r) =>
                html`<div class="choice">
                  <input
                    type="radio"
                    name="reason"
                    id="reason-${r}"
                    value="${r}"
                    required
                    ${state.reason === r ? 'checked' : ''}
                  />
                  <label for="reason-${r}">${t.reasons[r]}</label>
                </div>`,
            )}
          </fieldset>
          <label for="comment">${t.commentLabel}</label>
          <p class="hint" id="comment-hint">${t.commentHint}</p>
          <textarea
            id="comment"
            name="comment"
            maxlength="${COMMENT_MAX}"
            aria-describedby="comment-hint${state.problem === 'comment' ? ' problem' : ''}"
          >
${state.comment ?? ''}</textarea>
          <p>${t.dpoNote(org.legalName)}</p>
          <p>${t.regulatorNote(regulator.name)} <a href="${regulator.url}">${regulator.url}</a></p>
          <button type="submit">${t.submit}</button>
        </form>
        <p><a href="/m/${ref}?lang=${lang}">${t.back}</a></p>`,
    ),
    status,
  );
}

function donePage(c: Context, org: Organisation, lang: VoterLang, ref: string) {
  const t = TEXT[lang];
  const regulator = PACKS[org.jurisdiction].regulator;
  noStore(c);
  return c.html(
    page(
      lang,
      t.doneTitle,
      html`${STYLE}${languageLinks(TEXT[lang].languages, lang, org.jurisdiction, (l) => `?done=1&lang=${l}`)}
        <h1>${t.doneHeading}</h1>
        <p>${t.done(org.legalName)}</p>
        <p>${t.regulatorNote(regulator.name)} <a href="${regulator.url}">${regulator.url}</a></p>
        <p><a href="/m/${ref}?lang=${lang}">${t.back}</a></p>`,
    ),
  );
}

function throttledPage(c: Context, org: Organisation, lang: VoterLang, ref: string) {
  const t = TEXT[lang];
  noStore(c);
  c.header('Retry-After', '3600');
  return c.html(
    page(
      lang,
      t.throttledTitle,
      html`<h1>${t.throttledTitle}</h1>
        <p>${t.throttled}</p>
        <p><a href="/m/${ref}?lang=${lang}">${t.back}</a></p>
        <p class="code"><code>report.throttled</code></p>`,
    ),
    429,
  );
}

const one = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function reportPageRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/m/:ref/report', permit(s, 'public'), async (c) => {
      const ref = c.req.param('ref');
      const org = await organisationOf(s, ref);
      if (!org) return notFoundPage(c);
      const lang = voterLanguage(c, org.jurisdiction);
      if (c.req.query('done') === '1') return donePage(c, org, lang, ref);
      return formPage(c, org, lang, ref);
    })
    .post('/m/:ref/report', permit(s, 'public'), async (c) => {
      const ref = c.req.param('ref');
      const org = await organisationOf(s, ref);
      if (!org) return notFoundPage(c);
      const lang = voterLanguage(c, org.jurisdiction);
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const reason = one(body.reason);
      const comment = one(body.comment)?.replace(/\r\n/g, '\n');
      const state: FormState = {
        ...(reason !== undefined ? { reason } : {}),
        ...(comment !== undefined ? { comment } : {}),
      };
      try {
        await recordReport(s.db, {
          keys: s.keys,
          clock: s.clock,
          ref,
          input: { reason, ...(comment ? { comment } : {}) },
          client: clientAddress(c),
        });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'invalid') {
          const field = error.params?.field === 'comment' ? 'comment' : 'reason';
          return formPage(c, org, lang, ref, { ...state, problem: field }, 400);
        }
        if (error instanceof DomainError && error.code === 'throttled')
          return throttledPage(c, org, lang, ref);
        if (error instanceof DomainError && error.code === 'not_found') return notFoundPage(c);
        throw error;
      }
      noStore(c);
      const asked = c.req.query('lang');
      return c.redirect(`/m/${ref}/report?done=1${asked === lang ? `&lang=${lang}` : ''}`, 303);
    });
}

export function reportApiRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .post('/public/messages/:ref/reports', permit(s, 'public'), async (c) => {
      const ref = c.req.param('ref');
      // An unknown reference is not found before the body is read: the same for every body.
      await reportedMessage(s.db, { ref });
      const result = await recordReport(s.db, {
        keys: s.keys,
        clock: s.clock,
        ref,
        input: await jsonBody(c),
        client: clientAddress(c),
      });
      c.header('Cache-Control', 'no-store');
      return c.json(result, 201);
    })
    .get('/orgs/:orgId/reports', permit(s, 'report.read', org.fromParam), async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(
        await listReports(s.db, {
          keys: s.keys,
          orgId: c.var.orgId,
          actor: c.var.actor,
          clock: s.clock,
          publicUrl: s.email.publicUrl,
        }),
      );
    });
}
