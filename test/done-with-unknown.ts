// A campaign that ended `done_with_unknown`, for the tests of resend-unknown, without running the
// send engine: the campaign is created, planned and moved to `sending` through the domain, then
// its outbox rows and its state are set directly with SQL as the engine leaves them when some
// outcomes stay unknown (one attempt, its hand-over recorded, no outcome). How the engine gets
// there is the engine's own tests' business.
import { sql } from 'drizzle-orm';
import { addContact } from '../src/domain/contacts/contacts.ts';
import { createCampaign, moveCampaign } from '../src/domain/outreach/campaigns.ts';
import { planCampaign } from '../src/domain/outreach/plan-campaign.ts';
import { saveSegment } from '../src/domain/segments/segments.ts';
import type { Services } from '../src/services.ts';
import { makeOrg, makeSource } from './factories.ts';

export type Audience = {
  orgId: string;
  segmentId: string;
  people: { id: string; email: string }[];
};

/** An organisation ready to send (notice complete), `n` supporters with an email, a segment of all. */
export async function makeAudience(s: Services, n: number, tag = 'unknown'): Promise<Audience> {
  const orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
  const source = await makeSource(s, orgId, { type: 'supporter_signup' });
  const people: Audience['people'] = [];
  for (let i = 0; i < n; i++) {
    const email = `p${i}@${tag}.example`;
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: `N${i}`, email },
      actor: 'test',
    });
    people.push({ id, email });
  }
  const segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
  return { orgId, segmentId, people };
}

export type Outcome = 'sent' | 'unknown' | 'failed' | 'suppressed';

/**
 * A planned, sent campaign whose rows end as `outcomes` says (by contact id; `sent` otherwise).
 * `state` is the campaign's final state: `done_with_unknown` unless another is asked for, and
 * `sending` leaves it for the engine to close.
 */
export async function makeFinishedCampaign(
  s: Services,
  audience: Audience,
  outcomes: Record<string, Outcome>,
  options: { state?: string; subject?: string } = {},
): Promise<string> {
  const state = options.state ?? 'done_with_unknown';
  const campaign = await createCampaign(s.db, {
    orgId: audience.orgId,
    input: {
      segmentId: audience.segmentId,
      fromName: 'Liste',
      fromEmail: 'contact@exemple-2027.fr',
      subject: options.subject ?? 'Bonjour',
      body: 'Bonjour',
    },
    actor: 'test',
    clock: s.clock,
  });
  const plan = await planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock });
  if (plan.violations.length) throw new Error(`plan blocked: ${plan.violations[0]!.rule}`);
  await moveCampaign(s.db, {
    campaignId: campaign.id,
    move: 'send',
    actor: 'test',
    clock: s.clock,
  });
  const at = s.clock().toISOString();
  // Set directly, as the engine would have left them (see the header).
  await s.db.execute(sql`
    update outbox set state = 'sent', attempts = 1, sent_at = ${at}::timestamptz,
      claimed_by = 'dispatcher-gone', updated_at = ${at}::timestamptz
    where campaign_id = ${campaign.id}`);
  for (const [contactId, outcome] of Object.entries(outcomes))
    await s.db.execute(sql`
      update outbox set state = ${outcome}, sent_at = null,
        lease_until = ${outcome === 'unknown' ? at : null}::timestamptz,
        last_error = ${outcome === 'unknown' ? 'outcome unknown: the dispatcher stopped while sending; not sent again' : `test: ${outcome}`}
      where campaign_id = ${campaign.id} and contact_id = ${contactId}`);
  await s.db.execute(sql`
    insert into outbox_handovers (outbox_id, attempt, at, worker)
    select id, 1, ${at}::timestamptz, 'dispatcher-gone' from outbox
    where campaign_id = ${campaign.id} and state in ('sent', 'unknown', 'failed')`);
  await s.db.execute(sql`update campaigns set state = ${state} where id = ${campaign.id}`);
  return campaign.id;
}

export type OutboxRow = {
  contact_id: string;
  state: string;
  attempts: number;
  lease_until: unknown;
  claimed_by: string | null;
  next_attempt_at: unknown;
  last_error: string | null;
};

/** A campaign's outbox rows, by contact id. */
export async function outboxOf(s: Services, campaignId: string): Promise<Map<string, OutboxRow>> {
  const r = (await s.db.execute(sql`
    select contact_id, state, attempts, lease_until, claimed_by, next_attempt_at, last_error
    from outbox where campaign_id = ${campaignId} order by id`)) as unknown as {
    rows: OutboxRow[];
  };
  return new Map(r.rows.map((row) => [row.contact_id, row]));
}
