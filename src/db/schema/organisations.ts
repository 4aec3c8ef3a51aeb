// Organisations are the data controllers (party, candidate, elected official, union).
// Their own contact details are public by nature and stored in clear.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './types.ts';

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey(),
    legalName: text('legal_name').notNull(),
    postalAddress: text('postal_address').notNull(),
    contactEmail: text('contact_email').notNull(),
    /** Its own phone number (E.164), public like its email; the SEC-3 body scan lets it through. */
    contactPhone: text('contact_phone'),
    dpoName: text('dpo_name'),
    dpoEmail: text('dpo_email').notNull(),
    jurisdiction: text('jurisdiction', { enum: ['FR', 'MA', 'EU'] }).notNull(),
    /** ACC-2: receipt of the CNDP notification, required before a Moroccan organisation processes data. */
    cndpReceipt: text('cndp_receipt'),
    /** NOT-1: what the data is used for, in the words every message's notice uses. */
    noticePurposes: text('notice_purposes'),
    /** NOT-1: who receives the data (the campaign team, the email provider...). */
    noticeRecipients: text('notice_recipients'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who created it (existing rows from before this column: 'unknown'). */
    createdBy: text('created_by').notNull().default('unknown'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('organisations_jurisdiction', sql`${t.jurisdiction} in ('FR', 'MA', 'EU')`)],
);

/**
 * The organisation's data key, wrapped (AES-256-GCM) by the master key. Deleting this row
 * makes every identifier of the organisation unreadable in the live database. (A backup taken
 * before still holds the wrapped key: shredding reaches backups only once they expire, or once
 * keys are kept outside the backed-up database.)
 */
export const orgKeys = pgTable('org_keys', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  keyVersion: integer('key_version').notNull().default(1),
  wrappedKey: bytea('wrapped_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
