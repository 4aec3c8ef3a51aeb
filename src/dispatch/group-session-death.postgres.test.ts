// OPT-2 beside the main path: a send group's FOR SHARE locks hold only while its database
// session lives. PostgreSQL ending that session mid-group (a restart, pg_terminate_backend,
// idle_in_transaction_session_timeout) rolls the transaction back and drops the locks, so an
// objection can commit while the group still holds messages to hand over. No later wave may leave:
// each wave proves from inside the transaction that the session is alive before anything more is
// handed over (send-group.ts). PostgreSQL only: the embedded database has no sessions to end.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAudience, makeSendingCampaign } from '../../test/sending.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { recordObjection } from '../domain/objections/objections.ts';
import { campaignStatus } from '../domain/outreach/campaigns.ts';
import type { OutgoingEmail } from '../domain/outreach/compose.ts';
import { Dispatcher } from './dispatcher.ts';

const now = new Date('2026-11-24T10:00:00Z');
const clock = () => now;
let s: TestServices;
let orgId: string;
let campaignId: string;

beforeAll(async () => {
  s = await openTestServices({ clock });
  const audience = await makeAudience(s, 6, 'exemple');
  orgId = audience.orgId;
  campaignId = await makeSendingCampaign(s, audience, {}, { recipients: 6 });
});
afterAll(() => s.dispose());

describe('a send group whose database session PostgreSQL ends', () => {
  it('hands nothing more over, so nothing leaves after an objection that committed meanwhile', async () => {
    const sent: { to: string; afterObjection: boolean }[] = [];
    let objection: { committed: boolean; contacts: number } = { committed: false, contacts: 0 };
    let terminated = 0;
    const errors: unknown[] = [];
    const dispatcher = new Dispatcher({
      db: s.db,
      keys: s.keys,
      clock,
      publicUrl: 'https://isoloir.example',
      mailDomain: 'isoloir.example',
      // One group of six, one message at a time: five more waves after the first.
      groupSize: 6,
      parallelGroups: 1,
      channel: {
        name: 'test',
        capacity: 1,
        async send(message: OutgoingEmail) {
          sent.push({ to: String(message.to), afterObjection: objection.committed });
          if (terminated === 0) {
            // The group's session is the one idle in its transaction while this send runs.
            const r = (await s.db.execute(sql`
              select count(*)::int as n from (
                select pg_terminate_backend(pid) from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid()
                  and state like 'idle in transaction%') t`)) as unknown as {
              rows: { n: number }[];
            };
            terminated = r.rows[0]!.n;
            // Its locks are gone: the objection of the last recipient commits now, not later.
            const result = await recordObjection(s.db, {
              keys: s.keys,
              orgId,
              input: { email: 'p5@exemple.example', method: 'email_reply' },
              actor: 'test',
              clock,
            });
            objection = { committed: true, contacts: result.contacts };
          }
          return { ok: true };
        },
        async close() {},
      },
      onError: (e) => errors.push(e),
    });
    await dispatcher.runOnce().catch((e: unknown) => errors.push(e));
    // The hostile case happened: the group's session was ended mid-group, and the objection
    // committed while the group still had five messages to hand over.
    expect(terminated).toBe(1);
    expect(objection).toEqual({ committed: true, contacts: 1 });
    expect(errors.length).toBeGreaterThan(0);
    // Nothing was handed over after the session died: only the first message left.
    expect(sent).toHaveLength(1);
    expect(sent.filter((m) => m.afterObjection)).toEqual([]);
    // The next passes finish the campaign; the objector gets nothing, nobody gets a second copy.
    await dispatcher.runOnce();
    await dispatcher.runOnce();
    expect(sent.filter((m) => m.to.includes('p5@'))).toEqual([]);
    const copies = new Map<string, number>();
    for (const m of sent) copies.set(m.to, (copies.get(m.to) ?? 0) + 1);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    const status = await campaignStatus(s.db, { campaignId });
    expect(status.counts).toMatchObject({ queued: 0, sending: 0, suppressed: 1 });
    // The first message was handed over without a recorded outcome: reported, not re-sent. The
    // second wave's record is written beside the check that failed (send-group.ts), so it may be
    // `unknown` too without having left (an over-count, never an omission); the rest were sent.
    expect(status.counts.unknown).toBeGreaterThanOrEqual(1);
    expect(status.counts.unknown).toBeLessThanOrEqual(2);
    expect(status.counts.sent + status.counts.unknown).toBe(5);
    expect(status.state).toBe('done_with_unknown');
  });
});
