// A campaign that ended `done_with_unknown`, for the tests of resend-unknown, without running the
// send engine: the campaign is created, planned and moved to `sending` through the domain
// (test/sending.ts), then its outbox rows and its state are set directly with SQL as the engine
// leaves them when some outcomes stay unknown (one attempt, its hand-over recorded, no outcome).
// How the engine gets there is the engine's own tests' business.
import { sql } from 'drizzle-orm';
import type { Services } from '../src/services.ts';
import { makeSendingCampaign, type Audience } from './sending.ts';

export { makeAudience, type Audience } from './sending.ts';

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
  const campaignId = await makeSendingCampaign(s, audience, {
    subject: options.subject ?? 'Bonjour',
  });
  const at = s.clock().toISOString();
  // Set directly, as the engine would have left them (see the header).
  await s.db.execute(sql`
    update outbox set state = 'sent', attempts = 1, sent_at = ${at}::timestamptz,
      claimed_by = 'dispatcher-gone', updated_at = ${at}::timestamptz
    where campaign_id = ${campaignId}`);
  for (const [contactId, outcome] of Object.entries(outcomes))
    await s.db.execute(sql`
      update outbox set state = ${outcome}, sent_at = null,
        lease_until = ${outcome === 'unknown' ? at : null}::timestamptz,
        last_error = ${outcome === 'unknown' ? 'outcome unknown: the dispatcher stopped while sending; not sent again' : `test: ${outcome}`}
      where campaign_id = ${campaignId} and contact_id = ${contactId}`);
  await s.db.execute(sql`
    insert into outbox_handovers (outbox_id, attempt, at, worker)
    select id, 1, ${at}::timestamptz, 'dispatcher-gone' from outbox
    where campaign_id = ${campaignId} and state in ('sent', 'unknown', 'failed')`);
  await s.db.execute(sql`update campaigns set state = ${state} where id = ${campaignId}`);
  return campaignId;
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
