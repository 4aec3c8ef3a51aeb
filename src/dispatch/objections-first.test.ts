// Issue 14, objections first: an objection never waits for sending. A fake channel holds the
// first send group (its transaction open, as an SMTP server taking its time would) until the test
// lets it go. On PostgreSQL an objection for someone outside that group commits while the group
// is still held: the audit log no longer makes every writer take turns (chain-events.ts). On the
// embedded database (one connection) it is served between two groups, never behind the batch.
// Either way an objection for someone inside the held group waits for it (FOR SHARE, OPT-2), and
// nothing reaches that person after it commits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeChannel,
  makeAudience,
  makeDispatcher,
  makeSendingCampaign,
  withinHang,
  type Audience,
} from '../../test/sending.ts';
import { openTestServices, testDbKind, type TestServices } from '../../test/test-db.ts';
import { sql } from 'drizzle-orm';
import { recordObjection } from '../domain/objections/objections.ts';
import { campaignStatus } from '../domain/outreach/campaigns.ts';

const now = new Date('2026-11-24T10:00:00Z');
const clock = () => now;
const PEOPLE = 12;
const GROUP = 3;
/** Only turns a hang into a failure (withinHang waits as long). */
const HANG_MS = 20_000;

let s: TestServices;
let audience: Audience;
/** Lets a held send go and finish before the database goes, even when a test failed. */
let cleanup: (() => Promise<void>) | undefined;

beforeAll(async () => {
  s = await openTestServices({ clock });
  audience = await makeAudience(s, PEOPLE, 'exemple');
});
afterAll(async () => {
  await cleanup?.();
  await s.dispose();
});

/** What happened, in order: `handed <email>`, `released`, `committed <email>`. */
type Log = string[];

/** A channel whose first group is held until release(); later sends answer at once. */
function heldChannel(log: Log) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = true;
  let onHeld!: () => void;
  const groupHeld = new Promise<void>((resolve) => (onHeld = resolve));
  const channel = fakeChannel(
    async (m) => {
      log.push(`handed ${m.to}`);
      if (held) {
        if (channel.handed.length === GROUP) onHeld();
        await gate;
      }
      return { ok: true };
    },
    { name: 'held', capacity: GROUP },
  );
  return {
    channel,
    handed: channel.handed,
    /** Resolves once the whole first group has been handed over (and is held). */
    groupHeld,
    release() {
      if (!held) return;
      held = false;
      log.push('released');
      release();
    },
  };
}

const object = (email: string) =>
  recordObjection(s.db, {
    keys: s.keys,
    orgId: audience.orgId,
    input: { email, method: 'email_reply' },
    actor: 'test',
    clock,
  });

/** Resolves once some connection of this database waits on a lock (PostgreSQL). */
async function someoneWaitsOnALock() {
  for (const start = Date.now(); Date.now() - start < HANG_MS;) {
    const r = (await s.db.execute(sql`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`)) as unknown as {
      rows: { n: number }[];
    };
    if (r.rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('hung: nobody waits on the held group');
}

describe(`objections first, on ${testDbKind} (issue 14)`, () => {
  it('does not keep an objection waiting for a send group that is still talking to the server', async () => {
    const campaignId = await makeSendingCampaign(s, audience);
    const log: Log = [];
    const held = heldChannel(log);
    const d = makeDispatcher(s, held.channel, { groupSize: GROUP, parallelGroups: 1 });
    const run = d.runOnce();
    cleanup = async () => {
      held.release();
      await run.catch(() => {});
    };
    await withinHang(held.groupHeld, 'the first group was never handed over');
    const inGroup = held.handed[0]!;
    const outside = audience.people.map((p) => p.email).find((e) => !held.handed.includes(e))!;
    const sentWhen = new Map<string, number>();

    if (testDbKind === 'postgres') {
      // Someone in the held group objects: they wait for the group (OPT-2)...
      const waiting = object(inGroup).then(() => log.push(`committed ${inGroup}`));
      await someoneWaitsOnALock();
      // ...and someone else objects meanwhile: that commits now, the group still held.
      await withinHang(object(outside), 'the objection waited for the held group');
      log.push(`committed ${outside}`);
      expect(log).not.toContain('released');
      expect(log).not.toContain(`committed ${inGroup}`);
      // The race happened: the group's rows are still being sent, in its open transaction.
      const inFlight = (await s.db.execute(sql`
        select count(*)::int as n from outbox where campaign_id = ${campaignId} and state = 'sending'`)) as unknown as {
        rows: { n: number }[];
      };
      expect(inFlight.rows[0]!.n).toBeGreaterThanOrEqual(GROUP);
      expect(held.handed).toHaveLength(GROUP);
      held.release();
      await withinHang(run, 'the send did not go on');
      await withinHang(waiting, 'the objection in the held group never committed');
    } else {
      // One connection: both objections queue behind the held group, and are served before
      // the next group is handed over.
      const objections = [inGroup, outside].map((e) =>
        object(e).then(() => {
          log.push(`committed ${e}`);
          sentWhen.set(e, held.handed.length);
        }),
      );
      held.release();
      await withinHang(Promise.all(objections), 'an objection waited behind the batch');
      await withinHang(run, 'the send did not go on');
      for (const e of [inGroup, outside]) expect(sentWhen.get(e)).toBeLessThanOrEqual(GROUP);
    }

    // Whatever the next passes find is sent too: the send goes on and finishes.
    for (let i = 0; i < 5 && (await campaignStatus(s.db, { campaignId })).state !== 'done'; i++)
      await d.runOnce();
    const status = await campaignStatus(s.db, { campaignId });
    expect(status.state).toBe('done');
    // The one in the held group had their message handed over before objecting: sent, once.
    // The other one gets nothing; everyone else gets theirs.
    expect(held.handed.filter((e) => e === inGroup)).toHaveLength(1);
    expect(held.handed).not.toContain(outside);
    expect(status.counts).toMatchObject({ sent: PEOPLE - 1, suppressed: 1 });
    expect(new Set(held.handed).size).toBe(PEOPLE - 1);
    // Nothing was handed to either objector after their objection committed.
    for (const e of [inGroup, outside]) {
      const committed = log.indexOf(`committed ${e}`);
      expect(committed).toBeGreaterThan(-1);
      expect(log.slice(committed + 1)).not.toContain(`handed ${e}`);
    }
    // The objection in the held group committed only after the group was let go.
    expect(log.indexOf(`committed ${inGroup}`)).toBeGreaterThan(log.indexOf('released'));
  }, 60_000);
});
