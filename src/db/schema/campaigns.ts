// Outreach campaigns and their outbox. Planning turns a campaign into one outbox row per lawful
// recipient, unique per (campaign, contact, channel), so that a person in overlapping segments
// gets one message; the dispatcher claims rows and records each one's outcome.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';
import { elections } from './elections.ts';
import { orgIdColumn } from './references.ts';
import { segments } from './segments.ts';
import { dataSources } from './sources.ts';
import { bytea } from './types.ts';

export const CAMPAIGN_STATES = [
  'draft',
  'planned',
  'sending',
  'paused',
  'done',
  /** Done, but some messages may or may not have reached the server: see resend-unknown. */
  'done_with_unknown',
  'cancelled',
] as const;

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    electionId: uuid('election_id').references(() => elections.id, { onDelete: 'restrict' }),
    segmentId: uuid('segment_id').references(() => segments.id, { onDelete: 'set null' }),
    /** The segment's filter as planned: what was checked is what is sent. */
    filter: jsonb('filter').$type<unknown>(),
    channel: text('channel').notNull(),
    fromName: text('from_name').notNull(),
    fromEmail: text('from_email').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    bodyFormat: text('body_format').notNull(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    state: text('state').notNull().default('draft'),
    /** Messages per minute at most for this campaign's sender (0: no limit). */
    ratePerMinute: integer('rate_per_minute').notNull().default(0),
    plan: jsonb('plan').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('campaigns_org').on(t.orgId),
    check('campaigns_channel', sql`${t.channel} in ('email')`),
    check('campaigns_body_format', sql`${t.bodyFormat} in ('markdown', 'html')`),
    check(
      'campaigns_state',
      sql`${t.state} in ('draft', 'planned', 'sending', 'paused', 'done', 'done_with_unknown', 'cancelled')`,
    ),
  ],
);

export const campaignAttachments = pgTable('campaign_attachments', {
  id: uuid('id').primaryKey(),
  campaignId: uuid('campaign_id')
    .notNull()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  fileName: text('file_name').notNull(),
  contentType: text('content_type').notNull(),
  content: bytea('content').notNull(),
});

export const OUTBOX_STATES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'suppressed',
  'unknown',
] as const;

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    orgId: orgIdColumn(),
    /** Null once the contact was erased (OPT-3): the row stays as a message reference. */
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /**
     * The recipient objected and was erased (OPT-3): a later click on this message's unsubscribe
     * link answers "already recorded". A null contact without it was deleted for another reason
     * (its source was deleted), and the link says the data is no longer held.
     */
    recipientObjected: boolean('recipient_objected').notNull().default(false),
    channel: text('channel').notNull(),
    /** Random, unique: the "why did I get this" reference and the key of the unsubscribe link. */
    messageRef: text('message_ref').notNull().unique(),
    state: text('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    claimedBy: text('claimed_by'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /**
     * The source the notice named, recorded when the message is sent (migration 0022): the
     * message's page (`/m/:ref`, RIGHTS-2) and a report's compliance record (REP-1) name it even
     * after the contact was erased or its address came from another source.
     */
    sourceId: uuid('source_id').references(() => dataSources.id, { onDelete: 'set null' }),
    lastError: text('last_error'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('outbox_one_message_per_person').on(t.campaignId, t.contactId, t.channel),
    index('outbox_claim').on(t.campaignId, t.state, t.nextAttemptAt),
    index('outbox_contact').on(t.contactId),
    // Each dispatcher pass looks for expired leases: only rows in flight are indexed.
    index('outbox_leases')
      .on(t.leaseUntil)
      .where(sql`${t.state} = 'sending'`),
    check(
      'outbox_state',
      sql`${t.state} in ('queued', 'sending', 'sent', 'failed', 'suppressed', 'unknown')`,
    ),
  ],
);

/**
 * A message handed to the SMTP server (or SMSC) for an attempt, recorded from a connection of its
 * own just before the hand-over (migration 0021): when a lease runs out, only a claimed row with
 * a hand-over of its attempt may become `unknown`; any other goes back to the queue.
 */
export const outboxHandovers = pgTable(
  'outbox_handovers',
  {
    outboxId: bigint('outbox_id', { mode: 'number' })
      .notNull()
      .references(() => outbox.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    worker: text('worker').notNull(),
  },
  (t) => [primaryKey({ name: 'outbox_handovers_pkey', columns: [t.outboxId, t.attempt] })],
);
