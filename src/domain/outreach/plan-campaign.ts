// planCampaign: runs every rule that applies and, when none blocks, materialises one outbox row
// per lawful recipient. Rules: NOT-1 (the organisation's notice is complete), ACC-2 (CNDP receipt
// for MA), CAL-1 (not scheduled inside an election silence), SEG-2 (the segment's filter against
// today's policy), SEC-3 (no attachment holds personal data), CH-EMAIL (consent or relationship,
// an address, no objection). The outbox's unique (campaign, contact, channel) key means a person
// gets one message, and the exclusions are counted by reason.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { campaigns, outbox } from '../../db/schema/index.ts';
import { checkNotice } from '../../policy/notices.ts';
import { packFor } from '../../policy/packs.ts';
import { PACKS } from '../../policy/jurisdictions.ts';
import type { Violation } from '../../policy/rules.ts';
import { permitted, reachable, supplied } from '../contacts/reachability.ts';
import { DomainError } from '../errors.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { compileFilter } from '../segments/compile.ts';
import { parseFilter } from '../segments/filter.ts';
import { getSegment } from '../segments/segments.ts';
import type { Actor, Clock } from '../validation.ts';
import { campaignAttachmentsOf, campaignEvent, getCampaign } from './campaigns.ts';
import { organisationNoticeFacts } from './notice.ts';
import { scanAttachment } from './scan-attachment.ts';
import { scanMessage } from './scan-message.ts';
import { planAttempt, recordPlanRefusal } from '../audit/record-refusal.ts';
import { silenceViolationsAt } from './silence.ts';

export type Plan = {
  campaignId: string;
  state: string;
  recipients: number;
  /** no_source: permitted, but no known source supplied the address (its notice could not name one, NOT-1). */
  exclusions: { no_address: number; no_consent: number; objected: number; no_source: number };
  violations: Violation[];
};

/** Email reach, as in segment counts (../contacts/reachability.ts). */
export const EMAIL_REACHABLE = reachable('email');

export async function planCampaign(
  db: Db,
  options: { campaignId: string; actor: Actor; clock: Clock },
): Promise<Plan> {
  const campaign = await getCampaign(db, options);
  if (campaign.state !== 'draft' && campaign.state !== 'planned')
    throw DomainError.keyed(
      'conflict',
      'campaign.not_plannable',
      `campaign ${campaign.id} is ${campaign.state}: only a draft or planned campaign is planned`,
      { id: campaign.id, state: campaign.state },
    );
  const org = await getOrganisation(db, { orgId: campaign.orgId });
  const pack = packFor(org.jurisdiction);
  const now = options.clock();
  const violations: Violation[] = [...checkNotice(pack, organisationNoticeFacts(org))];
  if (PACKS[org.jurisdiction].requiresPriorNotification && !org.cndpReceipt)
    violations.push({
      rule: 'ACC-2',
      key: 'campaign.cndp_receipt_required',
      message:
        'a Moroccan organisation sends nothing before its CNDP notification receipt is recorded',
    });
  let filter = campaign.filter;
  if (campaign.segmentId) filter = (await getSegment(db, { segmentId: campaign.segmentId })).filter;
  let condition: SQL | undefined;
  try {
    condition = compileFilter(parseFilter(pack, filter), { referenceYear: now.getUTCFullYear() });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    violations.push({
      rule: error.rule ?? 'SEG-2',
      key: error.key ?? 'segment.invalid',
      ...(error.params ? { params: error.params } : {}),
      message: `segment: ${error.message}`,
    });
  }
  // CAL-1: every election's silence, for each planned recipient in their zone (silence.ts).
  if (condition)
    violations.push(
      ...(await silenceViolationsAt(db, {
        orgId: org.id,
        at: campaign.scheduledAt ?? now,
        recipients: sql`${condition} and ${EMAIL_REACHABLE}`,
      })),
    );
  for (const a of await campaignAttachmentsOf(db, campaign.id))
    violations.push(
      ...(await scanAttachment(a, {
        ownAddresses: [org.contactEmail, org.dpoEmail, campaign.fromEmail],
        postalAddress: org.postalAddress,
        ownPhones: org.contactPhone ? [org.contactPhone] : [],
      })),
    );
  violations.push(...scanMessage(campaign, org));

  const counts = condition
    ? (
        (await db.execute(sql`
        select
          (count(*) filter (where c.email_bidx is null))::int as no_address,
          (count(*) filter (where c.email_bidx is not null and c.consent_email = 'withdrawn'))::int as objected,
          (count(*) filter (where c.email_bidx is not null and c.consent_email is distinct from 'withdrawn'
            and not (${permitted('email')})))::int as no_consent,
          (count(*) filter (where ${permitted('email')} and not ${supplied('email')}))::int as no_source
        from contacts c where c.org_id = ${org.id} and ${condition}`)) as unknown as {
          rows: { no_address: number; objected: number; no_consent: number; no_source: number }[];
        }
      ).rows[0]!
    : { no_address: 0, objected: 0, no_consent: 0, no_source: 0 };
  const exclusions = {
    no_address: Number(counts.no_address),
    no_consent: Number(counts.no_consent),
    objected: Number(counts.objected),
    no_source: Number(counts.no_source),
  };

  return db.transaction(async (tx) => {
    // Locked and checked again: a plan racing a send must not re-plan a campaign in flight.
    const [locked] = await tx
      .select({ state: campaigns.state })
      .from(campaigns)
      .where(eq(campaigns.id, campaign.id))
      .for('update');
    if (locked?.state !== 'draft' && locked?.state !== 'planned')
      throw DomainError.keyed(
        'conflict',
        'campaign.not_plannable',
        `campaign ${campaign.id} is ${locked?.state}: only a draft or planned campaign is planned`,
        { id: campaign.id, state: String(locked?.state) },
      );
    let recipients = 0;
    // The plan is recomputed: what an earlier plan queued goes, blocked or not (a campaign sent
    // back to draft keeps no queued row a send could pick up).
    await tx
      .delete(outbox)
      .where(and(eq(outbox.campaignId, campaign.id), eq(outbox.state, 'queued')));
    if (violations.length === 0 && condition) {
      // The message reference is random (122 bits): unguessable, and the key of the unsubscribe link.
      // source_id: the address's source as planned; the send records the one its notice named
      // (a message whose outcome a crash left unknown keeps this one, RIGHTS-2).
      const inserted = (await tx.execute(sql`
        insert into outbox (campaign_id, org_id, contact_id, channel, message_ref, source_id, state, updated_at)
        select ${campaign.id}, c.org_id, c.id, 'email', replace(gen_random_uuid()::text, '-', ''), c.email_source_id, 'queued', ${now.toISOString()}::timestamptz
        from contacts c where c.org_id = ${org.id} and ${condition} and ${EMAIL_REACHABLE}
        on conflict (campaign_id, contact_id, channel) do nothing
        returning id`)) as unknown as { rows: unknown[] };
      recipients = inserted.rows.length;
    }
    const state = violations.length ? 'draft' : 'planned';
    const plan = { recipients, exclusions, violations, plannedAt: now.toISOString() };
    await tx
      .update(campaigns)
      .set({ state, plan, filter, updatedAt: now })
      .where(eq(campaigns.id, campaign.id));
    await campaignEvent(tx, options, 'campaign.plan', campaign, {
      recipients,
      exclusions,
      rules: violations.map((v) => v.rule),
    });
    // A blocked plan is a refused attempt: audited as such, whatever the interface (item 7).
    await recordPlanRefusal(tx, planAttempt(options.actor, campaign), violations, options.clock);
    return { campaignId: campaign.id, state, recipients, exclusions, violations };
  });
}
