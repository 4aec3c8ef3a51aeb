// Campaigns: who sends what to which saved segment, when. States: draft -> planned (planCampaign)
// -> sending (sendCampaign) <-> paused -> done or done_with_unknown (closeFinishedCampaigns; back
// to sending by resendUnknown), or cancelled. Header values typed by staff (sender name, subject)
// refuse CR, LF and NUL, so they cannot inject headers (CH-EMAIL).
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { campaignAttachments, campaigns, outbox } from '../../db/schema/index.ts';
import { checkChannel } from '../../policy/channels.ts';
import { packFor } from '../../policy/packs.ts';
import type { AuditAction } from '../audit/catalogue.ts';
import { recordEntityEvent } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { getElection } from '../organisations/elections.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { getSegment } from '../segments/segments.ts';
import { parseId, parseInput, type Actor, type Clock } from '../validation.ts';
import { MERGE_FIELDS } from './merge-fields.ts';

export type Campaign = typeof campaigns.$inferSelect;

/** One line of a header: no CR, LF, NUL or other control character can reach the message. */
const headerText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine(
      // eslint-disable-next-line no-control-regex -- refusing control characters is the point
      (v) => !/[\u0000-\u001F\u007F]/.test(v),
      'must be one line without control characters (CR, LF, NUL...)',
    );

const email = z.string().trim().toLowerCase().pipe(z.email('is not a valid email address'));

const createSchema = z
  .object({
    electionId: z.uuid('must be a UUID').optional(),
    segmentId: z.uuid('must be a UUID'),
    channel: z.string().default('email'),
    fromName: headerText(120),
    fromEmail: email,
    subject: headerText(250),
    body: z.string().min(1, 'is required').max(200_000),
    bodyFormat: z.enum(['markdown', 'html']).default('markdown'),
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
    ratePerMinute: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export type AttachmentInput = { fileName: string; contentType?: string; content: Buffer };

const attachmentName = headerText(200).refine(
  (v) => !/[\\/"]/.test(v),
  'must be a plain file name',
);

function checkMergeFields(where: string, text: string) {
  for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    if (!(MERGE_FIELDS as readonly string[]).includes(m[1]!))
      throw DomainError.keyed(
        'invalid',
        'campaign.unknown_merge_field',
        `${where}: unknown merge field {{${m[1]}}}; use ${MERGE_FIELDS.map((f) => `{{${f}}}`).join(', ')}`,
        { where, field: m[1]!, known: MERGE_FIELDS.map((f) => `{{${f}}}`).join(', ') },
      );
  }
}

export async function createCampaign(
  db: Db,
  options: {
    orgId: string;
    input: unknown;
    attachments?: AttachmentInput[];
    actor: Actor;
    clock: Clock;
  },
): Promise<Campaign> {
  const input = parseInput(createSchema, options.input);
  const org = await getOrganisation(db, { orgId: options.orgId });
  const refused = checkChannel(packFor(org.jurisdiction), input.channel);
  if (refused.length) throw DomainError.refused(refused);
  if (input.channel !== 'email')
    throw DomainError.keyed(
      'invalid',
      'campaign.channel_unsupported',
      `channel: only email campaigns exist for now, not ${input.channel}`,
      { channel: input.channel },
    );
  await getSegment(db, { segmentId: input.segmentId, orgId: org.id });
  if (input.electionId) {
    const election = await getElection(db, { electionId: input.electionId });
    if (election.orgId !== org.id)
      throw DomainError.keyed(
        'not_found',
        'election.not_found',
        `election ${input.electionId} does not exist in this organisation`,
        { id: input.electionId },
      );
  }
  checkMergeFields('subject', input.subject);
  checkMergeFields('body', input.body);
  const files = (options.attachments ?? []).map((a, i) => ({
    ...a,
    fileName: parseInput(attachmentName, a.fileName),
    where: `attachments.${i}`,
  }));
  const now = options.clock();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({
        id: randomUUID(),
        orgId: org.id,
        electionId: input.electionId ?? null,
        segmentId: input.segmentId,
        channel: input.channel,
        fromName: input.fromName,
        fromEmail: input.fromEmail,
        subject: input.subject,
        body: input.body,
        bodyFormat: input.bodyFormat,
        scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
        ratePerMinute: input.ratePerMinute,
        createdAt: now,
        createdBy: options.actor,
        updatedAt: now,
      })
      .returning();
    if (files.length)
      await tx.insert(campaignAttachments).values(
        files.map((f) => ({
          id: randomUUID(),
          campaignId: row!.id,
          fileName: f.fileName,
          contentType: f.contentType ?? 'application/octet-stream',
          content: f.content,
        })),
      );
    await campaignEvent(tx, options, 'campaign.create', row!, { attachments: files.length });
    return row!;
  });
}

export async function getCampaign(db: Db, options: { campaignId: string }): Promise<Campaign> {
  const id = parseId('campaign', options.campaignId);
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row)
    throw DomainError.keyed('not_found', 'campaign.not_found', `campaign ${id} does not exist`, {
      id,
    });
  return row;
}

export async function listCampaigns(db: Db, options: { orgId: string }): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(eq(campaigns.orgId, options.orgId))
    .orderBy(asc(campaigns.createdAt), asc(campaigns.id));
}

export async function campaignAttachmentsOf(db: Db, campaignId: string) {
  return db
    .select()
    .from(campaignAttachments)
    .where(eq(campaignAttachments.campaignId, campaignId))
    .orderBy(asc(campaignAttachments.fileName));
}

const MOVES: Record<string, { from: string[]; to: string; action: AuditAction }> = {
  send: { from: ['planned'], to: 'sending', action: 'campaign.send' },
  pause: { from: ['sending'], to: 'paused', action: 'campaign.pause' },
  resume: { from: ['paused'], to: 'sending', action: 'campaign.resume' },
  cancel: {
    from: ['draft', 'planned', 'sending', 'paused'],
    to: 'cancelled',
    action: 'campaign.cancel',
  },
};

/** send | pause | resume | cancel: a state change allowed only from the states listed above. */
export async function moveCampaign(
  db: Db,
  options: { campaignId: string; move: keyof typeof MOVES; actor: Actor; clock: Clock },
): Promise<Campaign> {
  const move = MOVES[options.move]!;
  const campaign = await getCampaign(db, options);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({ state: move.to, updatedAt: options.clock() })
      .where(
        and(
          eq(campaigns.id, campaign.id),
          sql`${campaigns.state} in (${sql.join(
            move.from.map((s) => sql`${s}`),
            sql`, `,
          )})`,
        ),
      )
      .returning();
    if (!row)
      throw DomainError.keyed(
        'conflict',
        'campaign.move_not_allowed',
        `campaign ${campaign.id} is ${campaign.state}: it can ${options.move} only when ${move.from.join(' or ')}`,
        { id: campaign.id, state: campaign.state, move: options.move, from: move.from.join(', ') },
      );
    if (options.move === 'cancel')
      await tx
        .update(outbox)
        .set({ state: 'suppressed', lastError: 'campaign cancelled', updatedAt: options.clock() })
        .where(and(eq(outbox.campaignId, campaign.id), eq(outbox.state, 'queued')));
    await campaignEvent(tx, options, move.action, row, { from: campaign.state });
    return row;
  });
}

export type ResendUnknownResult = { id: string; requeued: number; state: string };

/** Why a resent row is queued again, kept on the row (no personal data). */
export const RESEND_UNKNOWN_NOTE =
  'queued again by a resend-unknown decision: the first attempt may have reached the server, a second copy is possible';

/**
 * done_with_unknown -> sending: staff decide to offer again the messages whose outcome is unknown
 * (they may or may not have reached the server). An explicit, audited decision, because a second
 * copy is possible; leaving them out silently is not. In one transaction the campaign's `unknown`
 * rows go back to `queued` (lease cleared; attempts kept, so the next claim is a new attempt), the
 * campaign goes back to `sending`, and `campaign.resend_unknown` records who decided and how many.
 * Objections still hold: the engine re-checks every row at send time (OPT-2).
 */
export async function resendUnknown(
  db: Db,
  options: { campaignId: string; actor: Actor; clock: Clock },
): Promise<ResendUnknownResult> {
  const campaign = await getCampaign(db, options);
  return db.transaction(async (tx) => {
    const now = options.clock();
    const [row] = await tx
      .update(campaigns)
      .set({ state: 'sending', updatedAt: now })
      .where(and(eq(campaigns.id, campaign.id), eq(campaigns.state, 'done_with_unknown')))
      .returning();
    if (!row)
      throw DomainError.keyed(
        'conflict',
        'campaign.resend_unknown_not_allowed',
        `campaign ${campaign.id} is ${campaign.state}: only a campaign done with unknown messages (done_with_unknown) can resend them`,
        { id: campaign.id, state: campaign.state },
      );
    const requeued = await tx
      .update(outbox)
      .set({
        state: 'queued',
        leaseUntil: null,
        claimedBy: null,
        nextAttemptAt: null,
        lastError: RESEND_UNKNOWN_NOTE,
        updatedAt: now,
      })
      .where(and(eq(outbox.campaignId, campaign.id), eq(outbox.state, 'unknown')))
      .returning({ id: outbox.id });
    await campaignEvent(tx, options, 'campaign.resend_unknown', row, {
      from: 'done_with_unknown',
      requeued: requeued.length,
      secondCopyPossible: true,
    });
    return { id: row.id, requeued: requeued.length, state: row.state };
  });
}

/**
 * The end of a send, written here only: a `sending` campaign with no `queued` or `sending` row
 * left ends `done_with_unknown` when some of its rows are `unknown` (their messages may or may not
 * have reached the server: staff decide with resendUnknown), else `done`. Called by the send
 * engine at each pass; returns how many campaigns it closed.
 */
export async function closeFinishedCampaigns(db: Db, now: Date): Promise<number> {
  const closed = (await db.execute(sql`
    update campaigns k set updated_at = ${now.toISOString()}::timestamptz,
      state = case when exists (
        select 1 from outbox o where o.campaign_id = k.id and o.state = 'unknown')
        then 'done_with_unknown' else 'done' end
    where k.state = 'sending' and not exists (
      select 1 from outbox o where o.campaign_id = k.id and o.state in ('queued', 'sending'))
    returning k.id`)) as unknown as { rows: unknown[] };
  return closed.rows.length;
}

export type CampaignStatus = {
  id: string;
  state: string;
  counts: Record<'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'unknown', number>;
  plan: Record<string, unknown> | null;
};

export async function campaignStatus(
  db: Db,
  options: { campaignId: string },
): Promise<CampaignStatus> {
  const campaign = await getCampaign(db, options);
  const rows = await db
    .select({ state: outbox.state, n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(eq(outbox.campaignId, campaign.id))
    .groupBy(outbox.state);
  const counts = { queued: 0, sending: 0, sent: 0, failed: 0, suppressed: 0, unknown: 0 };
  for (const r of rows) counts[r.state as keyof typeof counts] = Number(r.n);
  return { id: campaign.id, state: campaign.state, counts, plan: campaign.plan ?? null };
}

export const campaignEvent = (
  db: Db,
  by: { actor: Actor; clock: Clock },
  action: AuditAction,
  campaign: Campaign,
  summary: Record<string, unknown>,
) =>
  recordEntityEvent(
    db,
    by,
    action,
    { type: 'campaign', id: campaign.id, orgId: campaign.orgId },
    summary,
  );
