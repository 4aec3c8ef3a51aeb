// resendUnknown: a campaign done with unknown outcomes (done_with_unknown) has exactly those
// messages queued again by an explicit, audited decision (a second copy is possible), and only
// then; objections recorded since still hold, because the engine re-checks every row at send
// time (OPT-2). The done_with_unknown campaigns are set up with SQL (test/done-with-unknown.ts).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeAudience,
  makeFinishedCampaign,
  outboxOf,
  type Audience,
} from '../../../test/done-with-unknown.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import type { Channel } from '../../dispatch/channel.ts';
import { Dispatcher } from '../../dispatch/dispatcher.ts';
import { DomainError } from '../errors.ts';
import { recordObjection } from '../objections/objections.ts';
import { campaignStatus, resendUnknown } from './campaigns.ts';
import type { OutgoingEmail } from './compose.ts';

let s: TestServices;
let a: Audience;

beforeAll(async () => {
  s = await openTestServices();
  a = await makeAudience(s, 5);
}, 60_000);
afterAll(() => s.dispose());

const by = () => ({ actor: 'user:camille', clock: s.clock });

async function auditOf(campaignId: string) {
  const r = (await s.db.execute(sql`
    select actor, org_id, entity_type, summary from audit_events
    where action = 'campaign.resend_unknown' and entity_id = ${campaignId}`)) as unknown as {
    rows: {
      actor: string;
      org_id: string;
      entity_type: string;
      summary: Record<string, unknown>;
    }[];
  };
  return r.rows;
}

/** A channel that accepts every message and remembers the recipients of those with `subject`. */
function acceptingChannel(subject: string): Channel & { sent: string[] } {
  const sent: string[] = [];
  // Not a literal typed as Channel: the engine's Channel may ask for more (capacity) than this.
  const channel = {
    name: 'fake',
    capacity: 4,
    sent,
    async send(m: OutgoingEmail) {
      if (m.subject === subject) sent.push(m.to);
      return { ok: true as const };
    },
    async close() {},
  };
  return channel;
}

describe('resend-unknown', () => {
  it('queues again exactly the unknown rows of that campaign, keeping their attempts, and sends the campaign again', async () => {
    const [p0, p1, p2, p3] = a.people;
    const id = await makeFinishedCampaign(s, a, {
      [p0!.id]: 'unknown',
      [p1!.id]: 'unknown',
      [p2!.id]: 'failed',
      [p3!.id]: 'suppressed',
    });
    const other = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown' });
    const before = await outboxOf(s, id);

    const result = await resendUnknown(s.db, { campaignId: id, ...by() });
    expect(result).toEqual({ id, requeued: 2, state: 'sending' });
    expect((await campaignStatus(s.db, { campaignId: id })).state).toBe('sending');

    const after = await outboxOf(s, id);
    for (const p of [p0!, p1!])
      expect(after.get(p.id)).toMatchObject({
        state: 'queued',
        attempts: 1, // kept: the next claim is a new attempt, with its own hand-over record
        lease_until: null,
        claimed_by: null,
        next_attempt_at: null,
        last_error: expect.stringMatching(/resend-unknown decision.*second copy is possible/),
      });
    for (const p of a.people.slice(2)) expect(after.get(p.id)).toEqual(before.get(p.id));
    // Another campaign's unknown rows are not part of this decision.
    expect((await outboxOf(s, other)).get(p0!.id)!.state).toBe('unknown');
    expect((await campaignStatus(s.db, { campaignId: other })).state).toBe('done_with_unknown');
  });

  it('refuses a campaign in any other state, naming its state, and changes nothing', async () => {
    const [p0] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown' });
    for (const state of ['draft', 'planned', 'sending', 'paused', 'done', 'cancelled']) {
      await s.db.execute(sql`update campaigns set state = ${state} where id = ${id}`);
      const error = await resendUnknown(s.db, { campaignId: id, ...by() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'conflict',
        key: 'campaign.resend_unknown_not_allowed',
        params: { id, state },
      });
      expect((error as Error).message).toBe(
        `campaign ${id} is ${state}: only a campaign done with unknown messages (done_with_unknown) can resend them`,
      );
      expect((await campaignStatus(s.db, { campaignId: id })).state).toBe(state);
      expect((await outboxOf(s, id)).get(p0!.id)!.state).toBe('unknown');
    }
    expect(await auditOf(id)).toEqual([]);
  });

  it('refuses a second decision: once resent, the campaign is sending again', async () => {
    const [, p1] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p1!.id]: 'unknown' });
    await resendUnknown(s.db, { campaignId: id, ...by() });
    await expect(resendUnknown(s.db, { campaignId: id, ...by() })).rejects.toMatchObject({
      key: 'campaign.resend_unknown_not_allowed',
      params: { state: 'sending' },
    });
    expect(await auditOf(id)).toHaveLength(1);
  });

  it('records who decided, how many, and that a second copy is possible', async () => {
    const [p0, , p2] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown', [p2!.id]: 'unknown' });
    await resendUnknown(s.db, { campaignId: id, ...by() });
    expect(await auditOf(id)).toEqual([
      {
        actor: 'user:camille',
        org_id: a.orgId,
        entity_type: 'campaign',
        summary: { from: 'done_with_unknown', requeued: 2, secondCopyPossible: true },
      },
    ]);
  });

  it('does not resend to a contact who objected after the first attempt', async () => {
    const [p0, p1, p2] = a.people;
    // Other tests' campaigns are sending again too: this one's messages are told by their subject.
    const subject = 'Objection depuis';
    const id = await makeFinishedCampaign(
      s,
      a,
      { [p0!.id]: 'unknown', [p1!.id]: 'unknown', [p2!.id]: 'unknown' },
      { subject },
    );
    await recordObjection(s.db, {
      keys: s.keys,
      orgId: a.orgId,
      input: { email: p1!.email, method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    expect(await resendUnknown(s.db, { campaignId: id, ...by() })).toMatchObject({ requeued: 3 });

    const channel = acceptingChannel(subject);
    const engine = new Dispatcher({
      db: s.db,
      keys: s.keys,
      clock: s.clock,
      channel,
      publicUrl: 'https://x.example',
      mailDomain: 'x.example',
    });
    try {
      for (let i = 0; i < 20; i++) {
        await engine.runOnce();
        if ((await campaignStatus(s.db, { campaignId: id })).state !== 'sending') break;
      }
    } finally {
      await engine.close();
    }
    expect(channel.sent.sort()).toEqual([p0!.email, p2!.email]);
    const rows = await outboxOf(s, id);
    expect([p0, p1, p2].map((p) => rows.get(p!.id)!.state)).toEqual(['sent', 'suppressed', 'sent']);
    expect(await campaignStatus(s.db, { campaignId: id })).toMatchObject({
      state: 'done',
      counts: { unknown: 0, queued: 0, sending: 0 },
    });
  });

  it('answers not found for a campaign that does not exist', async () => {
    await expect(
      resendUnknown(s.db, { campaignId: '00000000-0000-4000-8000-000000000000', ...by() }),
    ).rejects.toMatchObject({ code: 'not_found', key: 'campaign.not_found' });
  });
});
