// The audit log for the DPO, with filters (actor, action, entity, period, refusals only, rule).
// Reading it is itself an audited event. A refused attempt shows the rule ids that refused it.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { AuditEvent } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';
import { REFUSAL_RULES, refusalOf } from './refusal-rules.ts';

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
    if (f.get('refused')) q.set('refused', 'true');
    for (const k of ['actor', 'action', 'entityId', 'rule', 'since', 'until']) {
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
        <SelectField
          label={a.rule}
          name="rule"
          options={[['', a.anyRule], ...REFUSAL_RULES.map((r): [string, string] => [r, r])]}
        />
        <div className="field">
          <label>
            <input type="checkbox" name="refused" value="true" /> {a.refusedOnly}
          </label>
        </div>
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
            <tr key={e.id}>
              <td className="num">{e.seq ?? '…'}</td>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>
                <code>{e.actor}</code>
              </td>
              <td>{e.action}</td>
              <td>
                {e.entityType} {e.entityId && <code>{e.entityId.slice(0, 8)}</code>}
              </td>
              <td>
                <RefusalRules action={e.action} summary={e.summary} label={a.refusal} />
                <code>{JSON.stringify(e.summary)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function RefusalRules(props: { action: string; summary: Record<string, unknown>; label: string }) {
  const refusal = refusalOf(props.action, props.summary);
  if (!refusal) return null;
  return (
    <p className="refusal">
      {props.label} <strong>{refusal.rules.join(', ')}</strong>
    </p>
  );
}
