// CH-CONSENT: an append-only ledger per contact, channel and purpose. The current state of a
// (contact, channel, purpose) is its latest entry; a withdrawal is simply a newer entry.
import { sql } from 'drizzle-orm';
import { bigserial, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { dataSources } from './sources.ts';
import { contactIdColumn } from './contacts.ts';
import { CHANNELS } from '../../policy/channels.ts';
import { orgIdColumn } from './references.ts';

// The channels are policy: policy/channels.ts.
export { CHANNELS, type Channel } from '../../policy/channels.ts';

export const CONSENT_METHODS = [
  'web_form',
  'paper_form',
  'canvasser',
  'file',
  'phone_call',
  'email_reply',
  'unsubscribe_link',
  'sms_stop',
  'letter',
  'staff',
] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export const consentEntries = pgTable(
  'consent_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: orgIdColumn(),
    contactId: contactIdColumn(),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    purpose: text('purpose').notNull(),
    action: text('action', { enum: ['granted', 'withdrawn'] }).notNull(),
    /** The exact wording the person was shown (required to grant). */
    wording: text('wording'),
    method: text('method', { enum: CONSENT_METHODS }).notNull(),
    /** Where: form URL, event, canvasser's round, file name. */
    place: text('place'),
    /** Proof reference: form submission id, provider proof, signed sheet number. */
    evidence: text('evidence'),
    sourceId: uuid('source_id').references(() => dataSources.id, { onDelete: 'set null' }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    index('consent_entries_contact').on(t.contactId, t.channel, t.purpose, t.id),
    check('consent_entries_channel', sql`${t.channel} in ('email', 'sms', 'phone', 'post')`),
    check('consent_entries_action', sql`${t.action} in ('granted', 'withdrawn')`),
    check(
      'consent_entries_granted_has_wording',
      sql`${t.action} <> 'granted' or ${t.wording} is not null`,
    ),
  ],
);
