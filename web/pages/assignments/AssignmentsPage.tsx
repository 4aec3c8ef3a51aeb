// A volunteer's screen: the lists they were given (phoning, door to door) and, for one, its
// contacts with only the task's fields (SEC-1). Each opening is an audited read on the server;
// someone who objected since drops out at once.
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

type Assignment = { id: string; task: string; label: string; contactCount: number };
type Contacts = { fields: string[]; items: Record<string, string | null>[] };

export function AssignmentsPage() {
  const { t } = useI18n();
  const a = t.assignments;
  const { org } = useOrg();
  const list = useLoad(
    () => api<{ items: Assignment[] }>('GET', `/api/orgs/${org.id}/assignments/mine`),
    [org.id],
  );
  const [open, setOpen] = useState<{ assignment: Assignment; contacts: Contacts }>();
  const action = useAction();
  const show = async (assignment: Assignment) => {
    const contacts = await action.run(() =>
      api<Contacts>('GET', `/api/assignments/${assignment.id}/contacts`),
    );
    if (contacts) setOpen({ assignment, contacts });
  };
  return (
    <>
      <h1>{a.title}</h1>
      <p>{a.intro}</p>
      <ErrorNotice error={list.error ?? action.error} />
      <ul>
        {(list.data?.items ?? []).map((x) => (
          <li key={x.id}>
            <button type="button" className="link" onClick={() => show(x)}>
              {x.label}
            </button>{' '}
            ({a.tasks[x.task] ?? x.task}, {x.contactCount})
          </li>
        ))}
      </ul>
      {list.data?.items.length === 0 && <p>{a.none}</p>}
      {open && (
        <section aria-labelledby="assignment-title">
          <h2 id="assignment-title">{open.assignment.label}</h2>
          <table>
            <thead>
              <tr>
                {open.contacts.fields
                  .filter((f) => f !== 'contactId')
                  .map((f) => (
                    <th scope="col" key={f}>
                      {a.fields[f] ?? f}
                    </th>
                  ))}
              </tr>
            </thead>
            <tbody>
              {open.contacts.items.map((c, i) => (
                <tr key={c.contactId ?? i}>
                  {open.contacts.fields
                    .filter((f) => f !== 'contactId')
                    .map((f) => (
                      <td key={f}>{c[f] ?? ''}</td>
                    ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
