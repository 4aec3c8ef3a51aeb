// A volunteer's screen: the lists they were given (phoning, door to door) and, for one, its
// contacts with only the task's fields (SEC-1). Each opening is an audited read on the server;
// someone who objected since drops out at once.
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Silence } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { HoursNotice, type OutsideHours } from '../../components/HoursNotice.tsx';
import { SilenceNotice } from '../../components/SilenceNotice.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

type Assignment = { id: string; task: string; label: string; contactCount: number };
// `silences`: CAL-1 took everyone out of the list until polls close (why, and until when);
// `outsideHours`: CH-HOURS took out the people of zones outside the call window (until when).
type Contacts = {
  fields: string[];
  items: Record<string, string | null>[];
  silences?: Silence[];
  outsideHours?: OutsideHours[];
};

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
    setObjected(false);
  };
  // OPT-1: "stop contacting me", heard on the phone or at the door, recorded at once (two clicks).
  const [confirming, setConfirming] = useState<string>();
  const [objected, setObjected] = useState(false);
  const object = async (contactId: string) => {
    if (!open) return;
    if (confirming !== contactId) return setConfirming(contactId);
    const done = await action.run(() =>
      api('POST', `/api/assignments/${open.assignment.id}/objections`, { contactId }),
    );
    setConfirming(undefined);
    if (!done) return;
    setObjected(true);
    const items = open.contacts.items.filter((c) => c.contactId !== contactId);
    setOpen({ ...open, contacts: { ...open.contacts, items } });
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
          <SilenceNotice
            title={t.silence.listEmpty}
            silences={open.contacts.silences ?? []}
            testId="list-silence"
          />
          <HoursNotice outside={open.contacts.outsideHours ?? []} testId="list-hours" />
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
                <th scope="col">{a.objection}</th>
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
                  <td>
                    <button
                      type="button"
                      className={confirming === c.contactId ? 'danger' : 'secondary'}
                      aria-label={
                        confirming === c.contactId
                          ? a.confirmObject(c.firstNames, c.name)
                          : a.object(c.firstNames, c.name)
                      }
                      disabled={action.busy}
                      onClick={() => c.contactId && object(c.contactId)}
                    >
                      {confirming === c.contactId ? a.confirm : a.stop}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {objected && <p role="status">{a.objected}</p>}
        </section>
      )}
    </>
  );
}
