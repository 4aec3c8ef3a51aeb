// Exports of contact details, four eyes: a manager asks, the DPO approves or rejects, the
// requester downloads the file once (watermarked). The server enforces each step.
import type { FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { ExportRequest, Segment } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
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
  const decide = async (id: string, verb: 'approve' | 'reject') => {
    const note = verb === 'reject' ? { note: x.reject } : {};
    if (await action.run(() => api('POST', `/api/exports/${id}/${verb}`, note))) list.reload();
  };

  return (
    <>
      <h1>{x.title}</h1>
      <p>{x.intro}</p>
      <ErrorNotice error={list.error ?? action.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{x.reason}</th>
            <th scope="col">{x.format}</th>
            <th scope="col">{x.status}</th>
            <th scope="col">
              <span className="visually-hidden">{x.status}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>{r.reason}</td>
              <td>{r.format.toUpperCase()}</td>
              <td>{t.states[r.status] ?? r.status}</td>
              <td>
                {r.status === 'pending' &&
                  can('export.approve') &&
                  r.requestedBy !== session.user.id && (
                    <>
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
                    </>
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
            <SelectField
              label={x.segment}
              name="segmentId"
              required
              options={(segments.data?.items ?? []).map((s): [string, string] => [s.id, s.name])}
            />
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
