// Issue 14, "lose nobody": only a message that may have reached the server can end `unknown`;
// every other claimed row goes back to the queue; the channel is never handed more than its
// capacity; a campaign with unknown rows ends done_with_unknown. A crash is simulated by rows left
// `sending` by a worker that is gone (claimed, some with a hand-over record), and a clock past
// their lease.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeChannel,
  makeAudience,
  makeDispatcher,
  makeSendingCampaign,
  type Audience,
} from '../../test/sending.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { outbox } from '../db/schema/index.ts';
import { campaignStatus } from '../domain/outreach/campaigns.ts';
import type { Channel } from './channel.ts';
import type { DispatcherOptions } from './dispatcher.ts';
import { openHandoverLog, type HandoverLog } from './handover-log.ts';
import { claimBatch } from './outbox.ts';

let s: TestServices;
let now = new Date('2026-11-24T10:00:00Z');
let audience: Audience;
let log: HandoverLog;
const PEOPLE = 10;
const LEASE_MS = 60_000;

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  // The log the server would use: the outbox_handovers table on PostgreSQL.
  log = openHandoverLog(s.database);
  audience = await makeAudience(s, PEOPLE, 'exemple');
});
afterAll(async () => {
  await log.close();
  await s.dispose();
});

const sendingCampaign = () => makeSendingCampaign(s, audience);

const dispatcher = (channel: Channel, extra: Partial<DispatcherOptions> = {}) =>
  makeDispatcher(s, channel, { handovers: log, leaseMs: LEASE_MS, groupSize: 4, ...extra });

const rowsOf = (campaignId: string) =>
  s.db
    .select({
      id: outbox.id,
      state: outbox.state,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
    })
    .from(outbox)
    .where(eq(outbox.campaignId, campaignId))
    .orderBy(outbox.id);

/**
 * A process that claimed the whole campaign, recorded the hand-over of its first `handedOver`
 * rows, and died (nothing else recorded); then the clock runs past the lease.
 */
async function crashedBatch(handedOver: number) {
  const campaignId = await sendingCampaign();
  const claimed = await claimBatch(s.db, {
    campaignId,
    size: 200,
    workerId: 'dispatcher-killed',
    now,
    leaseUntil: new Date(now.getTime() + LEASE_MS),
  });
  expect(claimed).toHaveLength(PEOPLE);
  await log.record(
    claimed.slice(0, handedOver).map((r) => ({ id: r.id, attempt: r.attempts })),
    now,
    'dispatcher-killed',
  );
  now = new Date(now.getTime() + LEASE_MS + 1000);
  return { campaignId, claimed };
}

describe('the send engine after a crash, on a lease that ran out', () => {
  it('gives back to the queue, never to unknown, a claimed row that was never handed over, and sends it once', async () => {
    const { campaignId, claimed } = await crashedBatch(0);
    const channel = fakeChannel(() => ({ ok: true }));
    await dispatcher(channel).runOnce();
    const rows = await rowsOf(campaignId);
    expect(rows.map((r) => r.state)).toEqual(claimed.map(() => 'sent'));
    // The dead process's attempt was given back: the one that sent is the first.
    expect(rows.map((r) => r.attempts)).toEqual(claimed.map(() => 1));
    expect(channel.sent).toHaveLength(PEOPLE);
    expect(new Set(channel.sent).size).toBe(PEOPLE);
  });

  it('makes unknown a row handed over without an outcome, never sends it again, and ends done_with_unknown', async () => {
    const { campaignId, claimed } = await crashedBatch(2);
    const channel = fakeChannel(() => ({ ok: true }));
    const d = dispatcher(channel);
    await d.runOnce();
    await d.runOnce(); // closes the campaign
    const rows = await rowsOf(campaignId);
    expect(rows.slice(0, 2).map((r) => r.state)).toEqual(['unknown', 'unknown']);
    expect(rows[0]!.lastError).toMatch(/^outcome unknown: /);
    expect(rows.slice(2).map((r) => r.state)).toEqual(claimed.slice(2).map(() => 'sent'));
    expect(channel.sent).toHaveLength(PEOPLE - 2);
    expect(await campaignStatus(s.db, { campaignId })).toMatchObject({
      state: 'done_with_unknown',
      counts: { sent: PEOPLE - 2, unknown: 2, queued: 0, sending: 0 },
    });
  });
});

describe('the send engine', () => {
  it('closes a campaign with unknown rows as done_with_unknown, and says how many', async () => {
    const campaignId = await sendingCampaign();
    const channel = fakeChannel((m) =>
      m.to === 'p3@exemple.example'
        ? {
            ok: false,
            temporary: false,
            unknown: true,
            error: 'outcome unknown: ECONNECTION at CONN',
          }
        : { ok: true },
    );
    const d = dispatcher(channel);
    await d.runOnce();
    await d.runOnce();
    expect(await campaignStatus(s.db, { campaignId })).toMatchObject({
      state: 'done_with_unknown',
      counts: { sent: PEOPLE - 1, unknown: 1 },
    });
  });

  it('never has more messages in flight than the channel’s capacity, across parallel groups', async () => {
    const campaignId = await sendingCampaign();
    let inFlight = 0;
    let peak = 0;
    const channel = fakeChannel(
      async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
        return { ok: true };
      },
      { capacity: 3 },
    );
    await dispatcher(channel, { groupSize: 4, parallelGroups: 3 }).runOnce();
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBe(3); // the limit was reached, not merely never approached
    expect((await campaignStatus(s.db, { campaignId })).counts.sent).toBe(PEOPLE);
    expect(new Set(channel.sent).size).toBe(PEOPLE);
  });

  it('releases at once the rows of a group whose transaction failed: handed over to unknown, the rest to the queue', async () => {
    const campaignId = await sendingCampaign();
    let calls = 0;
    const channel = fakeChannel(
      () => {
        if (++calls === 3) throw new Error('connection ended');
        return { ok: true };
      },
      { capacity: 1 },
    );
    const errors: unknown[] = [];
    // One group, one message at a time: the 3rd hand-over fails, the 4th is never made.
    await dispatcher(channel, {
      groupSize: PEOPLE,
      parallelGroups: 1,
      onError: (e) => errors.push(e),
    }).runOnce();
    expect(errors).toHaveLength(1);
    const rows = await rowsOf(campaignId);
    // Rolled back: even the two answered `ok` may be at the server with no record of it.
    expect(rows.map((r) => r.state)).toEqual([
      ...Array(3).fill('unknown'),
      ...Array(PEOPLE - 3).fill('queued'),
    ]);
    expect(rows.slice(3).map((r) => r.attempts)).toEqual(Array(PEOPLE - 3).fill(0));
    // The rest goes out at the next pass.
    const next = fakeChannel(() => ({ ok: true }));
    await dispatcher(next).runOnce();
    expect(next.sent).toHaveLength(PEOPLE - 3);
  });
});

describe('the send engine’s loop', () => {
  it('does not die when passes fail (nor when onError itself throws): it tries again and resumes', async () => {
    const campaignId = await sendingCampaign();
    let failures = 0;
    // The database away for two passes.
    const db = new Proxy(s.db, {
      get(target, p) {
        if (p === 'transaction' && failures < 2)
          return () => {
            failures++;
            return Promise.reject(new Error('connection terminated'));
          };
        const v = Reflect.get(target, p) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const errors: unknown[] = [];
    const channel = fakeChannel(() => ({ ok: true }));
    const d = dispatcher(channel, {
      db,
      onError: (e) => {
        errors.push(e);
        throw new Error('the logger is broken too');
      },
    });
    d.start(20);
    try {
      await expect
        .poll(async () => (await campaignStatus(s.db, { campaignId })).counts.sent, {
          timeout: 20_000,
          interval: 100,
        })
        .toBe(PEOPLE);
    } finally {
      await d.stop();
    }
    expect(errors).toHaveLength(2);
  });
});
