// Reports of non-compliant messages (REP-1), each beside the message's compliance record: the
// source and how it was declared (attestation, collection), that channel's consent entries, the
// segment's filter, the campaign and who planned and sent it, the election silences (marked when
// the message went out inside one), the notice that went out, and whether the person had objected
// before. Reading the list is audited by the server (report.read).
import { api } from '../../api/client.ts';
import type { ComplianceRecord, MessageReport } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';
import { formatInZone } from '../../components/zoned-time.ts';
import { formatDay, formatMoment } from './clock.ts';
import { Pair } from './Pair.tsx';

export function ReportsPage() {
  const { t } = useI18n();
  const p = t.reports;
  const { org } = useOrg();
  const list = useLoad(
    () => api<{ items: MessageReport[] }>('GET', `/api/orgs/${org.id}/reports`),
    [org.id],
  );
  const items = list.data?.items ?? [];
  return (
    <>
      <h1>{p.title}</h1>
      <p>{p.intro}</p>
      <ErrorNotice error={list.error} />
      {list.data && items.length === 0 && <p>{p.none}</p>}
      {items.map((report) => (
        <Report key={report.id} report={report} />
      ))}
    </>
  );
}

function Report({ report }: { report: MessageReport }) {
  const { t, lang } = useI18n();
  const p = t.reports;
  const reason = p.reasons[report.reason] ?? report.reason;
  const channel = t.channels[report.channel] ?? report.channel;
  const headingId = `report-${report.id}`;
  return (
    <article
      className="card"
      data-testid="report"
      aria-labelledby={headingId}
      style={{ margin: '0 0 1.2rem', maxWidth: '52rem', overflowWrap: 'anywhere' }}
    >
      <h2 id={headingId} style={{ marginTop: 0 }}>
        {p.heading(reason, channel)}
      </h2>
      <dl>
        <Pair term={p.received} value={formatMoment(lang, report.receivedAt)} />
        <Pair term={p.ref} value={<code>{report.ref}</code>} />
      </dl>
      <h3>{p.words}</h3>
      {report.comment ? (
        <blockquote className="message-text" style={{ margin: 0 }}>
          {report.comment}
        </blockquote>
      ) : (
        <p>{p.noWords}</p>
      )}
      <details open>
        <summary style={{ fontWeight: 600, margin: '1rem 0 0.5rem' }}>{p.record}</summary>
        {report.record ? <Record record={report.record} /> : <p>{p.noRecord}</p>}
      </details>
    </article>
  );
}

function Record({ record }: { record: ComplianceRecord }) {
  const { t, lang } = useI18n();
  const p = t.reports;
  const day = (iso: string | null | undefined) => (iso ? formatDay(lang, iso) : '—');
  const moment = (iso: string | null | undefined) => (iso ? formatMoment(lang, iso) : '—');
  const who = (at: string | null, by: string | null) =>
    at ? (by ? p.byWhom(moment(at), by) : moment(at)) : '—';
  const sentAt = record.message.sentAt ? new Date(record.message.sentAt).getTime() : undefined;
  const { source, campaign } = record;
  return (
    <>
      <h3>{p.message}</h3>
      <dl>
        <Pair
          term={t.dashboard.channel}
          value={t.channels[record.message.channel] ?? record.message.channel}
        />
        <Pair
          term={p.state}
          value={p.messageStates[record.message.state] ?? record.message.state}
        />
        <Pair
          term={p.sentAt}
          value={record.message.sentAt ? moment(record.message.sentAt) : p.notSent}
        />
        <Pair term={p.contactHeld} value={record.contactHeld ? t.yes : t.no} />
      </dl>

      <h3>{p.source}</h3>
      {source ? (
        <dl>
          <Pair term={p.sourceType} value={t.sourceTypes[source.type]?.[0] ?? source.type} />
          <Pair term={p.label} value={source.label} />
          <Pair term={p.obtainedOn} value={day(source.obtainedOn)} />
          {source.publicDescription && (
            <Pair term={p.publicDescription} value={source.publicDescription} />
          )}
          {source.attestation && (
            <Pair
              term={p.attestation}
              value={
                <dl style={{ margin: 0 }}>
                  <Pair term={p.provider} value={source.attestation.provider} />
                  <Pair term={p.attestationDate} value={day(source.attestation.date)} />
                  <Pair term={p.consentWording} value={source.attestation.consentWording} />
                  <Pair term={p.proofReference} value={source.attestation.proofReference} />
                </dl>
              }
            />
          )}
          {source.collection && (source.collection.where || source.collection.notice) && (
            <Pair
              term={p.collection}
              value={
                <dl style={{ margin: 0 }}>
                  {source.collection.where && (
                    <Pair term={p.where} value={source.collection.where} />
                  )}
                  {source.collection.notice && (
                    <Pair term={p.collectionNotice} value={source.collection.notice} />
                  )}
                </dl>
              }
            />
          )}
        </dl>
      ) : (
        <p>{p.noSource}</p>
      )}

      <h3>{p.consent}</h3>
      {record.consent.length > 0 ? (
        <ul>
          {record.consent.map((c, i) => (
            <li key={i}>
              {p.consentLine(
                p.consentActions[c.action] ?? c.action,
                moment(c.occurredAt),
                t.objections.methodNames[c.method] ?? c.method,
              )}
              {c.recordedBy && (
                <>
                  {', '}
                  {p.recordedBy} <code>{c.recordedBy}</code>
                </>
              )}
              {c.wording && <q style={{ display: 'block' }}>{c.wording}</q>}
            </li>
          ))}
        </ul>
      ) : (
        <p>{p.noConsent}</p>
      )}

      <h3>{p.campaign}</h3>
      {campaign ? (
        <dl>
          <Pair term={p.subject} value={campaign.subject} />
          <Pair term={p.state} value={t.states[campaign.state] ?? campaign.state} />
          <Pair term={p.created} value={who(campaign.createdAt, campaign.createdBy)} />
          <Pair term={p.planned} value={who(campaign.plannedAt, campaign.plannedBy)} />
          <Pair term={p.sent} value={who(campaign.sentAt, campaign.sentBy)} />
        </dl>
      ) : (
        <p>{p.noCampaign}</p>
      )}
      <h3>{p.segment}</h3>
      <pre className="message-text" style={{ overflowX: 'auto', margin: 0 }}>
        <code>{JSON.stringify(record.segmentFilter ?? null, null, 2)}</code>
      </pre>

      <h3>{p.silence}</h3>
      {record.silence.length > 0 ? (
        <ul>
          {record.silence.map((w) => {
            const inside =
              w.sentDuring ??
              (sentAt !== undefined &&
                sentAt >= new Date(w.from).getTime() &&
                sentAt < new Date(w.to).getTime());
            const at = (iso: string) =>
              w.timeZone ? formatInZone(lang, iso, w.timeZone) : moment(iso);
            return (
              <li key={`${w.electionId}|${w.from}|${w.timeZone ?? ''}`}>
                {p.window(w.electionName, at(w.from), at(w.to))}
                {w.timeZone && ` (${w.timeZone})`}
                {inside && (
                  <strong className="badge danger" data-testid="in-silence">
                    {p.inSilence}
                  </strong>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p>{p.noSilence}</p>
      )}

      <h3>{p.notice}</h3>
      {record.notice ? (
        <pre className="message-text" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
          {record.notice}
        </pre>
      ) : (
        <p>{p.noNotice}</p>
      )}

      <h3>{p.objectedBefore}</h3>
      <p data-testid="objected-before">
        {record.objectedBefore === null ? (
          p.unknowable
        ) : record.objectedBefore ? (
          <strong className="badge danger">{t.yes}</strong>
        ) : (
          t.no
        )}
      </p>
      {record.recipientObjected && <p>{p.recipientObjected}</p>}
    </>
  );
}
