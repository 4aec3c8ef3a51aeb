// Contacts. Identifiers (names, birth date, email, phone, street) live only in `identity`,
// an AES-256-GCM blob under the organisation's data key; lookups and dedupe use keyed
// blind indexes. Attributes that lawful targeting uses (SEG-1) are in clear so SQL can filter.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { imports } from './imports.ts';
import { dataSources } from './sources.ts';
import { bytea } from './types.ts';
import { orgIdColumn } from './references.ts';

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    identity: bytea('identity').notNull(),
    emailIndex: bytea('email_bidx'),
    phoneIndex: bytea('phone_bidx'),
    nameBirthIndex: bytea('name_birth_bidx'),
    birthYear: smallint('birth_year'),
    sex: text('sex', { enum: ['F', 'M'] }),
    communeCode: text('commune_code'),
    postalCode: text('postal_code'),
    pollingStation: text('polling_station'),
    csp: text('csp'),
    /** Department, derived from the INSEE commune code (97x overseas, 2A/2B Corsica). */
    department: text('department').generatedAlwaysAs(
      sql`case when commune_code like '97%' then left(commune_code, 3) else left(commune_code, 2) end`,
    ),
    /** Whether the sealed identity holds a street address: post reachability without decrypting. */
    hasAddress: boolean('has_address').notNull().default(false),
    /**
     * Reachability state, kept by database triggers (see migration "keep_reachability_state"):
     * the latest consent action per channel for political communication, and whether any source
     * of the contact is an existing relationship (member file, supporter sign-up). Counting a
     * segment then reads one row per contact.
     */
    consentEmail: text('consent_email', { enum: ['granted', 'withdrawn'] }),
    consentSms: text('consent_sms', { enum: ['granted', 'withdrawn'] }),
    consentPhone: text('consent_phone', { enum: ['granted', 'withdrawn'] }),
    consentPost: text('consent_post', { enum: ['granted', 'withdrawn'] }),
    relationship: boolean('relationship').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contacts_org').on(t.orgId),
    index('contacts_email_bidx').on(t.orgId, t.emailIndex),
    index('contacts_phone_bidx').on(t.orgId, t.phoneIndex),
    index('contacts_name_birth_bidx').on(t.orgId, t.nameBirthIndex),
    // Targeting (SEG-1): the attributes segments filter on most.
    index('contacts_org_commune').on(t.orgId, t.communeCode),
    index('contacts_org_department').on(t.orgId, t.department),
    index('contacts_org_birth_year').on(t.orgId, t.birthYear),
    index('contacts_org_polling_station').on(t.orgId, t.pollingStation),
    check('contacts_sex', sql`${t.sex} is null or ${t.sex} in ('F', 'M')`),
  ],
);

/** Rows about a contact go with the contact. */
export const contactIdColumn = () =>
  uuid('contact_id')
    .notNull()
    .references(() => contacts.id, { onDelete: 'cascade' });

/** SRC-6: which source brought each contact, when, through which import, by whom. */
export const contactProvenance = pgTable(
  'contact_provenance',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: orgIdColumn(),
    contactId: contactIdColumn(),
    // Restrict: removing a source is a deliberate act that removes its contacts too.
    sourceId: uuid('source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'restrict' }),
    importId: uuid('import_id').references(() => imports.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    index('contact_provenance_contact').on(t.contactId),
    index('contact_provenance_source').on(t.sourceId),
  ],
);
