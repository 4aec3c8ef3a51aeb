// The composer: segment, sender, subject and Markdown body. The notice and the unsubscribe link
// are not written here: every message gets them, built from each recipient's provenance (NOT-1).
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Campaign, Election, Segment, Silence } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SegmentSelect } from '../../components/SegmentSelect.tsx';
import { SilenceNotice } from '../../components/SilenceNotice.tsx';
import { SelectField, TextArea, TextField } from '../../components/Field.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';
import { navigate } from '../../router.ts';

export function ComposerPage() {
  const { t } = useI18n();
  const c = t.campaigns;
  const { org } = useOrg();
  const segments = useLoad(
    () => api<{ items: Segment[] }>('GET', `/api/orgs/${org.id}/segments`),
    [org.id],
  );
  // With the organisation's election: the next one still to come (its last round not yet past).
  const elections = useLoad(async () => {
    const { items } = await api<{ items: Election[] }>('GET', `/api/orgs/${org.id}/elections`);
    const today = new Date().toISOString().slice(0, 10);
    const lastRound = (e: Election) =>
      e.rounds
        .map((r) => r.date)
        .sort()
        .at(-1) ?? '';
    const upcoming = items
      .filter((e) => lastRound(e) >= today)
      .sort((a, b) => lastRound(a).localeCompare(lastRound(b)))[0]?.id;
    return { items, upcoming };
  }, [org.id]);
  // CAL-1: every declared silence, in each zone where it reaches someone, for the warning below.
  const silences = useLoad(
    () => api<{ silences: Silence[] }>('GET', `/api/orgs/${org.id}/silences`),
    [org.id],
  );
  const [scheduledAt, setScheduledAt] = useState('');
  const create = useAction();
  const upcoming = elections.data?.upcoming;
  const instant = scheduledAt ? new Date(scheduledAt).getTime() : NaN;
  const silenced = Number.isNaN(instant)
    ? []
    : (silences.data?.silences ?? []).filter(
        (x) => Date.parse(x.from) <= instant && instant < Date.parse(x.until),
      );

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    const body: Record<string, unknown> = {
      segmentId: v('segmentId'),
      fromName: v('fromName'),
      fromEmail: v('fromEmail'),
      subject: v('subject'),
      body: String(f.get('body') ?? ''),
    };
    if (v('electionId')) body.electionId = v('electionId');
    // The local time typed, as an instant: CAL-1 checks it against the election's silence.
    if (v('scheduledAt')) body.scheduledAt = new Date(v('scheduledAt')).toISOString();
    if (v('ratePerMinute')) body.ratePerMinute = Number(v('ratePerMinute'));
    const created = await create.run(() =>
      api<Campaign>('POST', `/api/orgs/${org.id}/campaigns`, body),
    );
    if (created) navigate(`/campaigns/${created.id}`);
  };

  return (
    <>
      <h1>{c.composer}</h1>
      <ErrorNotice error={segments.error} />
      <form onSubmit={submit}>
        <SegmentSelect label={c.segment} segments={segments.data?.items} />
        <SelectField
          key={upcoming ?? 'none'}
          label={c.election}
          name="electionId"
          defaultValue={upcoming ?? ''}
          options={[
            ['', t.sources.noElection],
            ...(elections.data?.items ?? []).map((e): [string, string] => [e.id, e.name]),
          ]}
        />
        <TextField
          label={c.fromName}
          name="fromName"
          required
          defaultValue={org.legalName.slice(0, 120)}
        />
        <TextField
          label={c.fromEmail}
          name="fromEmail"
          type="email"
          required
          defaultValue={org.contactEmail}
        />
        <TextField label={c.subject} name="subject" required />
        <TextArea label={c.body} name="body" required rows={12} hint={c.bodyHint} />
        <TextField
          label={c.scheduledAt}
          name="scheduledAt"
          type="datetime-local"
          hint={c.scheduledAtHint}
          onChange={(e) => setScheduledAt(e.currentTarget.value)}
        />
        <SilenceNotice
          title={t.silence.composerWarning}
          silences={silenced}
          testId="silence-warning"
        />
        <TextField
          label={c.rate}
          name="ratePerMinute"
          type="number"
          min={0}
          step={1}
          hint={c.rateHint}
        />
        <ErrorNotice error={create.error} />
        <button type="submit" disabled={create.busy}>
          {c.create}
        </button>
      </form>
    </>
  );
}
