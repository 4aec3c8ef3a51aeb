// Exports of contact details, four eyes: a manager asks, the DPO approves or rejects, the
// requester downloads the file once (watermarked). The server enforces each step.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { ExportRequest, Segment } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SegmentSelect } from '../../components/SegmentSelect.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

export function ExportsPage() {
  const { t } = useI18n();
  const x = t.exports;
  const { org, can, session } = useOrg();
  const list = useLoad(
    () => api<{ items: ExportRequest[] }>('GET', `/api/orgs/${org.id}/exports`),
    [org.id],
  );
  const segments = useLoad(
    () =>
      can('segment.read')
        ? api<{ items: Segment[] }>('GET', `/api/orgs/${org.id}/segments`)
        : Promise.resolve({ items: [] }),
    [org.id],
  );
  const action = useAction();

  const request = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const body = {
      segmentId: f.get('segmentId'),
      format: f.get('format'),
      reason: String(f.get('reason') ?? '').trim(),
    };
    if (await action.run(() => api('POST', `/api/orgs/${org.id}/exports`, body))) {
      form.reset();
      list.reload();
    }
  };
  const [notes, setNotes] = useState<Record<string, string>>({});
  const decide = async (id: string, verb: 'approve' | 'reject') => {
    const note = (notes[id] ?? '').trim();
    // A refusal says why: the requester and the audit log keep the reason.
    if (verb === 'reject' && !note) return action.setError(new Error(x.noteRequired));
    if (await action.run(() => api('POST', `/api/exports/${id}/${verb}`, note ? { note } : {})))
      list.reload();
  };
  const segmentName = (id: string | null) =>
    segments.data?.items.find((s) => s.id === id)?.name ?? '—';

  return (
    <>
      <h1>{x.title}</h1>
      <p>{x.intro}</p>
      <ErrorNotice error={list.error ?? action.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{x.requestedAt}</th>
            <th scope="col">{x.requester}</th>
            <th scope="col">{x.segment}</th>
            <th scope="col">{x.reason}</th>
            <th scope="col">{x.format}</th>
            <th scope="col">{x.status}</th>
            <th scope="col">
              <span className="visually-hidden">{x.decision}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>{new Date(r.requestedAt).toLocaleString()}</td>
              <td>
                {r.requestedBy === session.user.id ? (
                  x.you
                ) : (
                  <code>{r.requestedBy.slice(0, 8)}</code>
                )}
              </td>
              <td>
                {segmentName(r.segmentId)}
                <details>
                  <summary>{x.filter}</summary>
                  <code>{JSON.stringify(r.filter)}</code>
                </details>
              </td>
              <td>{r.reason}</td>
              <td>{r.format.toUpperCase()}</td>
              <td>
                {t.states[r.status] ?? r.status}
                {r.decisionNote && <p className="hint">{r.decisionNote}</p>}
              </td>
              <td>
                {r.status === 'pending' &&
                  can('export.approve') &&
                  r.requestedBy !== session.user.id && (
                    <div className="decision">
                      <label>
                        {x.note}
                        <input
                          value={notes[r.id] ?? ''}
                          onChange={(e) => setNotes({ ...notes, [r.id]: e.target.value })}
                        />
                      </label>
                      <button type="button" onClick={() => decide(r.id, 'approve')}>
                        {x.approve}
                      </button>{' '}
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => decide(r.id, 'reject')}
                      >
                        {x.reject}
                      </button>
                    </div>
                  )}
                {r.status === 'approved' && r.requestedBy === session.user.id && (
                  <a
                    className="button"
                    href={`/api/exports/${r.id}/file`}
                    onClick={() => setTimeout(list.reload, 1500)}
                  >
                    {x.download}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {can('export.request') && (
        <section>
          <h2>{x.request}</h2>
          <form onSubmit={request}>
            <SegmentSelect label={x.segment} segments={segments.data?.items} />
            <SelectField
              label={x.format}
              name="format"
              options={[
                ['csv', 'CSV'],
                ['xlsx', 'XLSX'],
              ]}
            />
            <TextField label={x.reason} name="reason" required />
            <button type="submit" disabled={action.busy}>
              {x.submit}
            </button>
          </form>
        </section>
      )}
    </>
  );
}
