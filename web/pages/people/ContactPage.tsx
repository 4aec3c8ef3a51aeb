// A contact's record for staff (issue 15, item 5): identity, attributes, provenance (source,
// type, date obtained), consent history per channel, messages received, volunteers' lists, rights
// requests, rectifications; rectify one field (RIGHTS-1, SRC-8 side door closed by the server),
// in answer to the person's open rectification request when there is one (only then does a new
// email or phone keep its source, SRC-3); erase (RIGHTS-1, OPT-3), in answer to an open erasure
// request when there is one. Laid out as sections and cards, readable on a phone.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { ContactRecord } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { Link } from '../../components/Link.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

const IDENTITY = [
  'firstNames',
  'birthName',
  'usageName',
  'birthDate',
  'email',
  'phone',
  'streetAddress',
];
const ATTRIBUTES = ['postalCode', 'communeCode', 'birthYear', 'sex', 'pollingStation', 'csp'];
/** A request still waiting for its answer. */
const PENDING = ['open', 'extended'];

export function ContactPage({ contactId }: { contactId: string }) {
  const { t, lang } = useI18n();
  const p = t.people;
  const { can } = useOrg();
  const record = useLoad(
    () => api<ContactRecord>('GET', `/api/contacts/${contactId}`),
    [contactId],
  );
  const rectify = useAction();
  const erase = useAction();
  const [field, setField] = useState('email');
  const [rectified, setRectified] = useState<{ field: string; unsourced: boolean }>();
  const [rectifyRequest, setRectifyRequest] = useState('');
  const [eraseRequest, setEraseRequest] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [erased, setErased] = useState(false);
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const day = (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'medium' });
  const time = (iso: string) =>
    new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const label = (f: string) => p.fields[f] ?? f;

  if (erased)
    return (
      <>
        <h1>{p.record}</h1>
        <p className="notice ok" role="status">
          {p.erased}
        </p>
        <p>
          <Link href="/people">{p.back}</Link>
        </p>
      </>
    );
  const r = record.data;
  if (!r)
    return (
      <>
        <h1>{p.record}</h1>
        {record.error ? <ErrorNotice error={record.error} /> : <p>{t.loading}</p>}
        <p>
          <Link href="/people">{p.back}</Link>
        </p>
      </>
    );

  const name =
    [r.identity.firstNames, r.identity.usageName ?? r.identity.birthName]
      .filter(Boolean)
      .join(' ') || p.record;
  const channels = [...new Set(r.consent.map((c) => c.channel))];
  const pending = (kind: string) =>
    r.requests.filter((q) => q.kind === kind && PENDING.includes(q.status));
  const requestOptions = (kind: string): [string, string][] => [
    ['', p.noRequest],
    ...pending(kind).map((q): [string, string] => [
      q.id,
      p.requestOption(t.requests.kinds[q.kind] ?? q.kind, day(q.dueAt)),
    ]),
  ];
  const rectifications = pending('rectification');
  const erasures = pending('erasure');
  const identifier = field === 'email' || field === 'phone';

  const submitRectify = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setRectified(undefined);
    const form = e.currentTarget;
    const raw = String(new FormData(form).get('value') ?? '').trim();
    const value = raw === '' ? null : field === 'birthYear' ? Number(raw) : raw;
    const requestId = rectifications.some((q) => q.id === rectifyRequest)
      ? rectifyRequest
      : undefined;
    const done = await rectify.run(() =>
      api<{ field: string; sourceKept: boolean }>('PATCH', `/api/contacts/${contactId}`, {
        field,
        value,
        ...(requestId ? { requestId } : {}),
      }),
    );
    if (done) {
      setRectified({
        field: label(done.field),
        unsourced:
          value !== null && (done.field === 'email' || done.field === 'phone') && !done.sourceKept,
      });
      form.reset();
      record.reload();
    }
  };
  const submitErase = async () => {
    const requestId = erasures.some((q) => q.id === eraseRequest) ? eraseRequest : undefined;
    const done = await erase.run(() =>
      api('POST', `/api/contacts/${contactId}/erase`, requestId ? { requestId } : {}),
    );
    if (done) setErased(true);
  };

  return (
    <>
      <p>
        <Link href="/people">{p.back}</Link>
      </p>
      <h1>{name}</h1>

      <section aria-labelledby="contact-identity">
        <h2 id="contact-identity">{p.identity}</h2>
        <dl className="facts">
          {IDENTITY.filter((f) => r.identity[f]).map((f) => (
            <div key={f}>
              <dt>{label(f)}</dt>
              <dd>{r.identity[f]}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="contact-attributes">
        <h2 id="contact-attributes">{p.attributes}</h2>
        {ATTRIBUTES.some((f) => r.attributes[f] !== undefined) ? (
          <dl className="facts">
            {ATTRIBUTES.filter((f) => r.attributes[f] !== undefined).map((f) => (
              <div key={f}>
                <dt>{label(f)}</dt>
                <dd>{String(r.attributes[f])}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p>{p.nothing}</p>
        )}
      </section>

      <section aria-labelledby="contact-provenance">
        <h2 id="contact-provenance">{p.provenance}</h2>
        <ul className="cards">
          {r.provenance.map((s, i) => (
            <li className="card" key={`${s.sourceId}-${i}`}>
              <strong>{s.label}</strong>
              <br />
              {t.sourceTypes[s.type]?.[0] ?? s.type}
              <br />
              {p.obtainedOn} {day(s.obtainedOn)} · {p.recordedAt} {day(s.recordedAt)}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="contact-consent">
        <h2 id="contact-consent">{p.consent}</h2>
        {channels.length === 0 && <p>{p.nothing}</p>}
        {channels.map((channel) => (
          <div key={channel}>
            <h3>{t.channels[channel] ?? channel}</h3>
            <ul className="cards">
              {r.consent
                .filter((c) => c.channel === channel)
                .map((c, i) => (
                  <li className="card" key={i}>
                    <strong>{p.actions[c.action] ?? c.action}</strong> · {time(c.occurredAt)}
                    <br />
                    {t.objections.methodNames[c.method] ?? c.method} · {c.recordedBy}
                    {c.wording && (
                      <>
                        <br />« {c.wording} »
                      </>
                    )}
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </section>

      <section aria-labelledby="contact-messages">
        <h2 id="contact-messages">{p.messages}</h2>
        {r.messages.length === 0 ? (
          <p>{p.nothing}</p>
        ) : (
          <ul className="cards">
            {r.messages.map((m) => (
              <li className="card" key={m.ref}>
                <Link href={`/campaigns/${m.campaignId}`}>{m.subject}</Link>
                <br />
                {t.channels[m.channel] ?? m.channel} · {p.messageStates[m.state] ?? m.state}
                {m.sentAt && <> · {time(m.sentAt)}</>}
                <br />
                <code>{m.ref}</code>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="contact-assignments">
        <h2 id="contact-assignments">{p.assignments}</h2>
        {r.assignments.length === 0 ? (
          <p>{p.nothing}</p>
        ) : (
          <ul>
            {r.assignments.map((a) => (
              <li key={a.id}>{a.name}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="contact-requests">
        <h2 id="contact-requests">{p.requests}</h2>
        {r.requests.length === 0 ? (
          <p>{p.nothing}</p>
        ) : (
          <ul>
            {r.requests.map((q) => (
              <li key={q.id}>
                {can('request.read') ? (
                  <Link href={`/requests/${q.id}`}>{t.requests.kinds[q.kind] ?? q.kind}</Link>
                ) : (
                  (t.requests.kinds[q.kind] ?? q.kind)
                )}{' '}
                · {t.requests.statuses[q.status] ?? q.status} · {p.dueAt} {day(q.dueAt)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="contact-rectifications">
        <h2 id="contact-rectifications">{p.rectifications}</h2>
        {r.rectifications.length === 0 ? (
          <p>{p.nothing}</p>
        ) : (
          <ul>
            {r.rectifications.map((x, i) => (
              <li key={i}>
                {label(x.field)} {p.rectifiedBy(time(x.rectifiedAt), x.rectifiedBy)}
              </li>
            ))}
          </ul>
        )}
      </section>

      {can('contact.rectify') && (
        <section aria-labelledby="contact-rectify">
          <h2 id="contact-rectify">{p.rectify}</h2>
          <p>{p.rectifyIntro}</p>
          <form onSubmit={submitRectify}>
            <SelectField
              label={p.field}
              name="field"
              value={field}
              onChange={(e) => setField(e.target.value)}
              options={[...IDENTITY, ...ATTRIBUTES].map((f) => [f, label(f)])}
            />
            {rectifications.length > 0 && (
              <SelectField
                label={p.inAnswerTo}
                name="requestId"
                value={rectifyRequest}
                onChange={(e) => setRectifyRequest(e.target.value)}
                options={requestOptions('rectification')}
              />
            )}
            <TextField
              label={p.value}
              name="value"
              hint={
                identifier && !rectifyRequest ? `${p.valueHint} ${p.unsourcedHint}` : p.valueHint
              }
              autoComplete="off"
              type={field === 'birthDate' ? 'date' : field === 'email' ? 'email' : 'text'}
            />
            <ErrorNotice error={rectify.error} />
            {rectified && (
              <p className="notice ok" role="status">
                {p.rectified(rectified.field)}
                {rectified.unsourced && <> {p.unsourcedDone}</>}
              </p>
            )}
            <button type="submit" disabled={rectify.busy}>
              {p.rectifySubmit}
            </button>
          </form>
        </section>
      )}

      {can('contact.erase') && (
        <section aria-labelledby="contact-erase">
          <h2 id="contact-erase">{p.erase}</h2>
          <p>{p.eraseIntro}</p>
          {erasures.length > 0 && (
            <SelectField
              label={p.inAnswerTo}
              name="eraseRequestId"
              value={eraseRequest}
              onChange={(e) => setEraseRequest(e.target.value)}
              options={requestOptions('erasure')}
            />
          )}
          <ErrorNotice error={erase.error} />
          {confirming ? (
            <button type="button" className="danger" disabled={erase.busy} onClick={submitErase}>
              {p.eraseConfirm}
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              {p.eraseSubmit}
            </button>
          )}
        </section>
      )}
    </>
  );
}
