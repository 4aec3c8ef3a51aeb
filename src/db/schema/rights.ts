// The voter's side (RIGHTS-1, RIGHTS-2, REP-1): rights requests proven by a one-time code, reports
// of non-compliant messages, and the service mail that answers them (codes, replies, the DPO's
// alerts). Whatever names a person (the address a request came from, what they asked to change,
// a report's words, a mail's recipient) is sealed under the organisation's data key; lookups and
// throttles use keyed hashes (migration 0022).
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';
import { outbox } from './campaigns.ts';
import { orgIdColumn } from './references.ts';
import { bytea } from './types.ts';

export const RIGHTS_REQUEST_KINDS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'objection',
] as const;
export type RightsRequestKind = (typeof RIGHTS_REQUEST_KINDS)[number];

/**
 * awaiting_code: asked, the code not yet confirmed (not in the DPO's list by default);
 * locked: five wrong codes; expired: the code ran out unconfirmed;
 * open: confirmed, in the DPO's queue; extended: its due date pushed once, the person told why;
 * answered: done (access answered at once, a prospect's erasure or objection applied at once,
 * or the DPO's reply sent).
 */
export const RIGHTS_REQUEST_STATUSES = [
  'awaiting_code',
  'locked',
  'expired',
  'open',
  'extended',
  'answered',
] as const;
export type RightsRequestStatus = (typeof RIGHTS_REQUEST_STATUSES)[number];

const inList = (column: unknown, values: readonly string[]) =>
  sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

export const rightsRequests = pgTable(
  'rights_requests',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    kind: text('kind', { enum: RIGHTS_REQUEST_KINDS }).notNull(),
    /** The identifier the person gave, and where the code and the replies go: email or phone. */
    channel: text('channel', { enum: ['email', 'phone'] }).notNull(),
    /** Blind index of that email or phone (contacts' own key): finds the person, throttles. */
    identifierIndex: bytea('identifier_index').notNull(),
    /** The email or phone itself, sealed (aad: rights request id): where the replies go. */
    identifier: bytea('identifier').notNull(),
    /** The message the request came from (`/m/:ref`), if any. */
    messageRef: text('message_ref'),
    /** What the person asked for (rectification, restriction), sealed; never in the list. */
    details: bytea('details'),
    status: text('status', { enum: RIGHTS_REQUEST_STATUSES }).notNull().default('awaiting_code'),
    /** Keyed hash of the one-time code; null once used (single use). */
    codeHash: bytea('code_hash'),
    codeExpiresAt: timestamp('code_expires_at', { withTimezone: true }),
    codeFailures: integer('code_failures').notNull().default(0),
    /** Keyed hash of the client's address: the per-client throttle, never the address itself. */
    clientHash: bytea('client_hash'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    /** One month after receipt (RIGHTS-1); pushed once by up to two months with a reason. */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    extendedAt: timestamp('extended_at', { withTimezone: true }),
    extensionReason: text('extension_reason'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: text('answered_by'),
    answerNote: text('answer_note'),
    /** What was done: access_given, erased, objected, queued (for the DPO), replied. */
    outcome: text('outcome'),
    /** The contacts the confirmed identifier matched (none is a valid answer). */
    contactIds: uuid('contact_ids').array(),
  },
  (t) => [
    index('rights_requests_org_status').on(t.orgId, t.status, t.dueAt),
    index('rights_requests_identifier').on(t.orgId, t.identifierIndex, t.receivedAt),
    index('rights_requests_client').on(t.clientHash, t.receivedAt),
    check('rights_requests_kind', inList(t.kind, RIGHTS_REQUEST_KINDS)),
    check('rights_requests_status', inList(t.status, RIGHTS_REQUEST_STATUSES)),
    check('rights_requests_channel', sql`${t.channel} in ('email', 'phone')`),
  ],
);

export const REPORT_REASONS = [
  'no_consent',
  'had_objected',
  'no_way_to_stop',
  'during_silence',
  'other_peoples_data',
  'other',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const messageReports = pgTable(
  'message_reports',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    /** The message reported; the row stays when the outbox row goes (the report is the DPO's). */
    outboxId: bigint('outbox_id', { mode: 'number' }).references(() => outbox.id, {
      onDelete: 'set null',
    }),
    messageRef: text('message_ref').notNull(),
    channel: text('channel').notNull(),
    reason: text('reason', { enum: REPORT_REASONS }).notNull(),
    /** The voter's optional words, sealed (aad: report id): they may name people. */
    comment: bytea('comment'),
    clientHash: bytea('client_hash'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('message_reports_org').on(t.orgId, t.receivedAt),
    index('message_reports_ref').on(t.messageRef),
    check('message_reports_reason', inList(t.reason, REPORT_REASONS)),
  ],
);

/** A staff correction of one identifier field (RIGHTS-1): field names only, never values. */
export const contactRectifications = pgTable(
  'contact_rectifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: orgIdColumn(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    field: text('field').notNull(),
    requestId: uuid('request_id').references(() => rightsRequests.id, { onDelete: 'set null' }),
    rectifiedAt: timestamp('rectified_at', { withTimezone: true }).notNull(),
    rectifiedBy: text('rectified_by').notNull(),
  },
  (t) => [index('contact_rectifications_contact').on(t.contactId)],
);

export const NOTIFICATION_KINDS = ['rights_code', 'rights_reply', 'dpo_alert'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Service mail, not campaigns: a request's one-time code, the replies to a request, the DPO's
 * alerts. Durable so that a reply typed on the CLI reaches the person when the server sends it;
 * the payload (recipient, subject, text) is sealed and dropped once sent (a code is not kept).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: orgIdColumn(),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    /** Sealed {to, subject, text} (aad: `isoloir:notification:<orgId>`); null once sent. */
    payload: bytea('payload'),
    state: text('state', { enum: ['queued', 'sent', 'failed'] })
      .notNull()
      .default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    index('notifications_due')
      .on(t.nextAttemptAt)
      .where(sql`${t.state} = 'queued'`),
    check('notifications_kind', inList(t.kind, NOTIFICATION_KINDS)),
    check('notifications_channel', sql`${t.channel} in ('email', 'sms')`),
    check('notifications_state', sql`${t.state} in ('queued', 'sent', 'failed')`),
  ],
);
