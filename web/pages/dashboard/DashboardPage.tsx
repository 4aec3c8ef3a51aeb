// Aggregates only: contacts by source, who each channel may lawfully reach, objections, campaigns,
// and voters' reports of messages by channel and by reason (REP-1).
import { api } from '../../api/client.ts';
import type { Dashboard } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

export function DashboardPage() {
  const { t } = useI18n();
  const { org } = useOrg();
  const { data, error } = useLoad(
    () => api<Dashboard>('GET', `/api/orgs/${org.id}/dashboard`),
    [org.id],
  );
  const d = t.dashboard;
  return (
    <>
      <h1>{d.title}</h1>
      <ErrorNotice error={error} />
      {data && (
        <>
          <section aria-labelledby="reach" className="cards">
            <h2 id="reach" className="visually-hidden">
              {d.reachable}
            </h2>
            <div className="card">
              <span className="figure" data-testid="contacts-total">
                {data.contacts}
              </span>
              {d.contacts}
            </div>
            {Object.entries(data.reachable).map(([channel, n]) => (
              <div className="card" key={channel}>
                <span className="figure">{n}</span>
                {d.reachable} · {t.channels[channel]}
              </div>
            ))}
          </section>
          <h2>{d.bySource}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{d.source}</th>
                <th scope="col">{d.type}</th>
                <th scope="col" className="num">
                  {d.contacts}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.bySource.map((s) => (
                <tr key={s.sourceId}>
                  <td>{s.label}</td>
                  <td>{t.sourceTypes[s.type]?.[0] ?? s.type}</td>
                  <td className="num">{s.contacts}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="columns">
            <CountTable
              title={d.objections(data.objections.total)}
              column={d.method}
              counts={data.objections.byMethod}
              name={(m) => t.objections.methodNames[m] ?? m}
            />
            <CountTable
              title={d.campaigns}
              column={d.state}
              counts={data.campaigns}
              name={(state) => t.states[state] ?? state}
            />
          </div>
          {data.reports && (
            <section aria-labelledby="reports-total">
              <h2 id="reports-total">{d.reports(data.reports.total)}</h2>
              <div className="columns">
                <CountTable
                  title={d.reportsByChannel}
                  column={d.channel}
                  counts={{ email: 0, sms: 0, phone: 0, post: 0, ...data.reports.byChannel }}
                  name={(channel) => t.channels[channel] ?? channel}
                  level={3}
                />
                <CountTable
                  title={d.reportsByReason}
                  column={d.reason}
                  counts={{
                    ...Object.fromEntries(Object.keys(t.reports.reasons).map((r) => [r, 0])),
                    ...data.reports.byReason,
                  }}
                  name={(reason) => t.reports.reasons[reason] ?? reason}
                  level={3}
                />
              </div>
            </section>
          )}
        </>
      )}
    </>
  );
}

/** A titled two-column table: each key's name and its count. */
function CountTable(props: {
  title: string;
  column: string;
  counts: Record<string, number>;
  name: (key: string) => string;
  /** The title's heading level (3 inside a titled section). */
  level?: 2 | 3;
}) {
  const { t } = useI18n();
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <section>
      <Heading>{props.title}</Heading>
      <table>
        <thead>
          <tr>
            <th scope="col">{props.column}</th>
            <th scope="col" className="num">
              {t.dashboard.count}
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.counts).map(([key, n]) => (
            <tr key={key}>
              <td>{props.name(key)}</td>
              <td className="num">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
