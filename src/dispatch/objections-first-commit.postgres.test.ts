// Issue 14, objections first, on PostgreSQL: an objection does not wait for a send group that has
// recorded its audit event and not yet committed (a slow commit: a disk flush, a standby that
// must confirm). Before issue 14 every audit writer held one lock from its event to its commit,
// so every objection waited for that group; now events are appended unchained (record-audit.ts)
// and only the chainer takes a lock (chain-events.ts). The group is held at its commit by a
// deferred trigger of this test's own database, waiting on an advisory lock the test holds.
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeChannel,
  makeAudience,
  makeDispatcher,
  makeSendingCampaign,
  withinHang,
  type Audience,
} from '../../test/sending.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { verifyAuditLog } from '../domain/audit/verify-audit.ts';
import { recordObjection } from '../domain/objections/objections.ts';
import { campaignStatus } from '../domain/outreach/campaigns.ts';

const now = new Date('2026-11-24T10:00:00Z');
const clock = () => now;
const PEOPLE = 9;
const GROUP = 3;
const HOLD = 4_242_014;
/** Only turns a hang into a failure (withinHang waits as long). */
const HANG_MS = 20_000;

let s: TestServices;
let holder: pg.Client;
let audience: Audience;
/** The send in progress: let finish before the database goes, even when a test failed. */
let run: Promise<number> | undefined;

beforeAll(async () => {
  s = await openTestServices({ clock });
  // A group's transaction that marked messages sent waits, at its commit, for the test.
  await s.db.execute(sql`
    create function test_hold_commit() returns trigger language plpgsql as $$
    begin
      if new.state = 'sent' then perform pg_advisory_xact_lock_shared(${sql.raw(String(HOLD))}); end if;
      return null;
    end $$`);
  await s.db.execute(sql`
    create constraint trigger test_hold_commit after update on outbox
    deferrable initially deferred for each row execute function test_hold_commit()`);
  holder = new pg.Client({ connectionString: s.config.databaseUrl });
  await holder.connect();
  audience = await makeAudience(s, PEOPLE, 'exemple');
});
afterAll(async () => {
  await holder?.end(); // releases the hold
  await run?.catch(() => {});
  await s.dispose();
});

const count = async (query: ReturnType<typeof sql>) =>
  ((await s.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n;

describe('objections first at a send group’s commit (issue 14, PostgreSQL)', () => {
  it('does not keep an objection waiting for a send group that recorded its event and has not committed', async () => {
    const campaignId = await makeSendingCampaign(s, audience);
    const channel = fakeChannel(undefined, { name: 'instant', capacity: GROUP });
    const handed = channel.handed;
    const d = makeDispatcher(s, channel, { groupSize: GROUP, parallelGroups: 1 });
    await holder.query('select pg_advisory_lock($1)', [HOLD]);
    run = d.runOnce();
    // The first group has handed its messages over, recorded its event and waits at its commit.
    for (
      const start = Date.now();
      (await count(sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`)) === 0;
    ) {
      if (Date.now() - start > HANG_MS) throw new Error('hung: the group never reached its commit');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(handed).toHaveLength(GROUP);
    const outside = audience.people.map((p) => p.email).find((e) => !handed.includes(e))!;
    await withinHang(
      recordObjection(s.db, {
        keys: s.keys,
        orgId: audience.orgId,
        input: { email: outside, method: 'email_reply' },
        actor: 'test',
        clock,
      }),
      'the objection waited for the send group’s commit',
    );
    // The race happened: the group had not committed when the objection did.
    expect(
      await count(sql`select count(*)::int as n from outbox
        where campaign_id = ${campaignId} and state = 'sent'`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`),
    ).toBeGreaterThan(0);
    await holder.query('select pg_advisory_unlock($1)', [HOLD]);
    await withinHang(run, 'the send did not go on');
    for (let i = 0; i < 5 && (await campaignStatus(s.db, { campaignId })).state !== 'done'; i++)
      await d.runOnce();
    const status = await campaignStatus(s.db, { campaignId });
    expect(status).toMatchObject({ state: 'done', counts: { sent: PEOPLE - 1, suppressed: 1 } });
    expect(handed).not.toContain(outside);
    // Both writers' events are on the chain, whatever order they committed in.
    expect(await verifyAuditLog(s.db, { key: s.auditKey })).toMatchObject({
      ok: true,
      pending: 0,
    });
  }, 60_000);
});
