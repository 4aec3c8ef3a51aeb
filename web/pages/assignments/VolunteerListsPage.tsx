// Handing out lists (SEC-1): a manager or owner picks a volunteer, a task and a saved segment; the
// server keeps only the contacts the task may lawfully reach (a phone number or an address not
// withdrawn) and the volunteer then sees only the task's fields.
import type { FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Segment, Silence } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SegmentSelect } from '../../components/SegmentSelect.tsx';
import { SilenceNotice } from '../../components/SilenceNotice.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

type Assignment = {
  id: string;
  volunteerId: string;
  task: string;
  label: string;
  contactCount: number;
  createdAt: string;
};
type Volunteer = { id: string; displayName: string };

export function VolunteerListsPage() {
  const { t } = useI18n();
  const v = t.volunteerLists;
  const { org } = useOrg();
  const list = useLoad(
    () => api<{ items: Assignment[] }>('GET', `/api/orgs/${org.id}/assignments`),
    [org.id],
  );
  const volunteers = useLoad(
    () => api<{ items: Volunteer[] }>('GET', `/api/orgs/${org.id}/volunteers`),
    [org.id],
  );
  const segments = useLoad(
    () => api<{ items: Segment[] }>('GET', `/api/orgs/${org.id}/segments`),
    [org.id],
  );
  // CAL-1: a silence under way empties the lists of the people it covers; say so here too.
  const silences = useLoad(async () => {
    const { silences } = await api<{ silences: Silence[] }>('GET', `/api/orgs/${org.id}/silences`);
    const now = Date.now();
    return silences.filter((x) => Date.parse(x.from) <= now && now < Date.parse(x.until));
  }, [org.id]);
  const action = useAction();
  const nameOf = (id: string) =>
    volunteers.data?.items.find((x) => x.id === id)?.displayName ?? id.slice(0, 8);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const created = await action.run(() =>
      api('POST', `/api/orgs/${org.id}/assignments`, {
        volunteerId: f.get('volunteerId'),
        task: f.get('task'),
        segmentId: f.get('segmentId'),
        label: String(f.get('label') ?? '').trim(),
        limit: Number(f.get('limit')),
      }),
    );
    if (created) {
      form.reset();
      list.reload();
    }
  };

  return (
    <>
      <h1>{v.title}</h1>
      <p>{v.intro}</p>
      <SilenceNotice
        title={t.silence.listEmpty}
        silences={silences.data ?? []}
        testId="lists-silence"
      />
      <ErrorNotice error={list.error ?? volunteers.error ?? segments.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{v.label}</th>
            <th scope="col">{v.volunteer}</th>
            <th scope="col">{v.task}</th>
            <th scope="col" className="num">
              {v.contacts}
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((a) => (
            <tr key={a.id}>
              <td>{a.label}</td>
              <td>{nameOf(a.volunteerId)}</td>
              <td>{t.assignments.tasks[a.task] ?? a.task}</td>
              <td className="num">{a.contactCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section>
        <h2>{v.add}</h2>
        <form onSubmit={submit}>
          <SelectField
            label={v.volunteer}
            name="volunteerId"
            required
            options={(volunteers.data?.items ?? []).map((x): [string, string] => [
              x.id,
              x.displayName,
            ])}
          />
          <SelectField label={v.task} name="task" options={Object.entries(t.assignments.tasks)} />
          <SegmentSelect label={v.segment} segments={segments.data?.items} />
          <TextField label={v.label} name="label" required />
          <TextField
            label={v.limit}
            name="limit"
            type="number"
            min={1}
            max={500}
            defaultValue={50}
            required
            hint={v.limitHint}
          />
          <ErrorNotice error={action.error} />
          <button type="submit" disabled={action.busy}>
            {v.submit}
          </button>
        </form>
      </section>
    </>
  );
}
