// The send engine's rules with a fake channel: retries with backoff for temporary failures,
// permanent failures recorded, a pause honoured inside the batch in flight, the election silence
// holding a campaign (CAL-1), and the per-sender rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection } from '../../test/factories.ts';
import {
  fakeChannel,
  makeAudience,
  makeDispatcher,
  makeSendingCampaign,
  type Audience,
} from '../../test/sending.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { campaignStatus, createCampaign, moveCampaign } from '../domain/outreach/campaigns.ts';
import { planCampaign } from '../domain/outreach/plan-campaign.ts';
import type { Channel } from './channel.ts';
import type { DispatcherOptions } from './dispatcher.ts';

let s: TestServices;
let now = new Date('2026-11-24T10:00:00Z');
let audience: Audience;
let orgId: string;
let segmentId: string;
const PEOPLE = 12;

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  audience = await makeAudience(s, PEOPLE, 'exemple');
  ({ orgId, segmentId } = audience);
});
afterAll(() => s.dispose());

const sendingCampaign = (extra: Record<string, unknown> = {}) =>
  makeSendingCampaign(s, audience, extra);

const dispatcher = (channel: Channel, extra: Partial<DispatcherOptions> = {}) =>
  makeDispatcher(s, channel, { groupSize: 4, ...extra });

describe('the send engine', () => {
  it('retries temporary failures with backoff, then records a permanent failure; 5xx fails at once', async () => {
    const campaignId = await sendingCampaign();
    const channel = fakeChannel((m) =>
      m.to === 'p0@exemple.example'
        ? { ok: false, temporary: true, error: 'SMTP 451' }
        : m.to === 'p1@exemple.example'
          ? { ok: false, temporary: false, error: 'SMTP 550' }
          : { ok: true },
    );
    const d = dispatcher(channel, { maxAttempts: 3 });
    await d.runOnce();
    let status = await campaignStatus(s.db, { campaignId });
    expect(status.counts).toMatchObject({ sent: PEOPLE - 2, failed: 1, queued: 1 });
    await d.runOnce(); // the retry waits for its backoff (30 s)
    expect((await campaignStatus(s.db, { campaignId })).counts.queued).toBe(1);
    now = new Date(now.getTime() + 31_000);
    await d.runOnce();
    now = new Date(now.getTime() + 61_000);
    await d.runOnce();
    await d.runOnce();
    status = await campaignStatus(s.db, { campaignId });
    expect(status.counts).toMatchObject({ sent: PEOPLE - 2, failed: 2, queued: 0 });
    expect(status.state).toBe('done');
  });

  it('records an unknown outcome once and never sends that message again', async () => {
    const campaignId = await sendingCampaign();
    const channel = fakeChannel((m) =>
      m.to === 'p2@exemple.example'
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
    now = new Date(now.getTime() + 3_600_000);
    await d.runOnce();
    const status = await campaignStatus(s.db, { campaignId });
    expect(status).toMatchObject({
      state: 'done_with_unknown',
      counts: { sent: PEOPLE - 1, unknown: 1, queued: 0 },
    });
  });

  it('honours a pause inside the batch in flight, and finishes after resume', async () => {
    const campaignId = await sendingCampaign();
    let paused = false;
    const channel = fakeChannel(async () => {
      if (!paused) {
        paused = true;
        // Paused from elsewhere while the first group is on its way.
        setTimeout(
          () =>
            void moveCampaign(s.db, { campaignId, move: 'pause', actor: 'test', clock: s.clock }),
          0,
        );
      }
      return { ok: true };
    });
    // One message per group: the pause lands between groups of the same batch.
    const d = dispatcher(channel, { groupSize: 1 });
    await d.runOnce();
    await new Promise((r) => setTimeout(r, 50));
    await d.runOnce();
    const paused1 = await campaignStatus(s.db, { campaignId });
    expect(paused1.state).toBe('paused');
    expect(paused1.counts.sent).toBeLessThan(PEOPLE);
    expect(paused1.counts.sent + paused1.counts.queued).toBe(PEOPLE);
    expect(await d.runOnce()).toBe(0); // nothing goes out while paused
    await moveCampaign(s.db, { campaignId, move: 'resume', actor: 'test', clock: s.clock });
    await d.runOnce();
    await d.runOnce();
    expect(await campaignStatus(s.db, { campaignId })).toMatchObject({
      state: 'done',
      counts: { sent: PEOPLE },
    });
    expect(new Set(channel.sent).size).toBe(channel.sent.length); // nobody twice
  });

  it('refuses a schedule inside the election silence at planning, and holds a campaign sending into it (CAL-1)', async () => {
    const election = await makeElection(s, orgId, { round1: '2026-11-29', round2: undefined });
    const campaign = await createCampaign(s.db, {
      orgId,
      input: {
        segmentId,
        electionId: election.id,
        fromName: 'Liste',
        fromEmail: 'contact@exemple-2027.fr',
        subject: 'Votez',
        body: 'Votez',
        scheduledAt: '2026-11-28T09:00:00+01:00',
      },
      actor: 'test',
      clock: s.clock,
    });
    const plan = await planCampaign(s.db, {
      campaignId: campaign.id,
      actor: 'test',
      clock: s.clock,
    });
    expect(plan.violations.map((v) => v.rule)).toEqual(['CAL-1']);

    await sendingCampaign({ electionId: election.id, subject: 'Votez', body: 'Votez' });
    const channel = fakeChannel(() => ({ ok: true }));
    const saved = now;
    now = new Date('2026-11-28T12:00:00Z'); // the eve of the vote
    await dispatcher(channel).runOnce(); // claimed, held back to the queue until polls close
    expect(channel.sent).toEqual([]);
    now = new Date('2026-11-29T21:00:00Z'); // polls closed
    expect(await dispatcher(channel).runOnce()).toBe(PEOPLE);
    expect(channel.sent).toHaveLength(PEOPLE);
    now = saved;
  });

  it('keeps to the sender rate limit', async () => {
    const campaignId = await sendingCampaign({
      ratePerMinute: 5,
      fromEmail: 'slow@exemple-2027.fr',
    });
    const channel = fakeChannel(() => ({ ok: true }));
    const d = dispatcher(channel);
    expect(await d.runOnce()).toBe(5);
    expect(await d.runOnce()).toBe(0);
    now = new Date(now.getTime() + 60_000);
    expect(await d.runOnce()).toBe(5);
    expect((await campaignStatus(s.db, { campaignId })).counts.sent).toBe(10);
  });
});
