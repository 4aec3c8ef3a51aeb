// The audit log for the DPO, with filters (actor, action, entity, period). Reading it is itself
// an audited event.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { AuditEvent } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextField } from '../../components/Field.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

export function AuditPage() {
  const { t } = useI18n();
  const a = t.audit;
  const { org } = useOrg();
  const [query, setQuery] = useState('limit=100');
  const list = useLoad(
    () => api<{ items: AuditEvent[] }>('GET', `/api/orgs/${org.id}/audit?${query}`),
    [org.id, query],
  );
  const filter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const q = new URLSearchParams({ limit: '100' });
    for (const k of ['actor', 'action', 'entityId', 'since', 'until']) {
      const v = String(f.get(k) ?? '').trim();
      if (!v) continue;
      // Dates are whole local days: from the start of "since" to the end of "until".
      if (k === 'since') q.set(k, new Date(`${v}T00:00:00`).toISOString());
      else if (k === 'until') q.set(k, new Date(`${v}T23:59:59.999`).toISOString());
      else q.set(k, v);
    }
    setQuery(q.toString());
  };
  return (
    <>
      <h1>{a.title}</h1>
      <p>{a.intro}</p>
      <form onSubmit={filter} className="filters">
        <TextField label={a.actor} name="actor" placeholder="user:…" />
        <TextField label={a.action} name="action" placeholder="export.download" />
        <TextField label={a.entity} name="entityId" />
        <TextField label={a.since} name="since" type="date" />
        <TextField label={a.until} name="until" type="date" />
        <button type="submit">{a.filter}</button>
      </form>
      <ErrorNotice error={list.error} />
      <table className="audit">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{a.at}</th>
            <th scope="col">{a.actor}</th>
            <th scope="col">{a.action}</th>
            <th scope="col">{a.entity}</th>
            <th scope="col">{a.summary}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((e) => (
            <tr key={e.seq}>
              <td className="num">{e.seq}</td>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>
                <code>{e.actor}</code>
              </td>
              <td>{e.action}</td>
              <td>
                {e.entityType} {e.entityId && <code>{e.entityId.slice(0, 8)}</code>}
              </td>
              <td>
                <code>{JSON.stringify(e.summary)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
