// Contacts. Identifiers (names, birth date, email, phone, street) live only in `identity`,
// an AES-256-GCM blob under the organisation's data key; lookups and dedupe use keyed
// blind indexes. Attributes that lawful targeting uses (SEG-1) are in clear so SQL can filter.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { imports } from './imports.ts';
import { dataSources, LAWFUL_SOURCE_TYPES } from './sources.ts';
import { bytea } from './types.ts';
import { orgIdColumn } from './references.ts';
import { PCS_CODES } from '../../policy/vocabularies/pcs-2020.ts';

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
    /**
     * Which source supplied each identifier, with that source's type (migration
     * "record_which_source_supplied_each_identifier"): reachability per address (SRC-3, CH-*)
     * and the notice's source (NOT-1). (id, type) references data_sources(id, type).
     */
    emailSourceId: uuid('email_source_id'),
    emailSourceType: text('email_source_type', { enum: LAWFUL_SOURCE_TYPES }),
    phoneSourceId: uuid('phone_source_id'),
    phoneSourceType: text('phone_source_type', { enum: LAWFUL_SOURCE_TYPES }),
    addressSourceId: uuid('address_source_id'),
    addressSourceType: text('address_source_type', { enum: LAWFUL_SOURCE_TYPES }),
    /** RET-2: when the first message was actually sent to this contact (set once). */
    firstMessageAt: timestamp('first_message_at', { withTimezone: true }),
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
    // SEG-2: closed vocabularies (migration "close_csp_and_polling_station_vocabularies").
    check(
      'contacts_polling_station_code',
      sql`${t.pollingStation} is null or (${t.pollingStation} ~ '^[0-9]{4}$' and ${t.pollingStation} <> '0000')`,
    ),
    check(
      'contacts_csp_pcs_2020',
      sql`${t.csp} is null or ${t.csp} in (${sql.raw(PCS_CODES.map((c) => `'${c}'`).join(', '))})`,
    ),
    ...(['email', 'phone', 'address'] as const).flatMap((k) => {
      const [id, type] = [t[`${k}SourceId`], t[`${k}SourceType`]];
      return [
        foreignKey({
          name: `contacts_${k}_source_fk`,
          columns: [id, type],
          foreignColumns: [dataSources.id, dataSources.type],
        }).onDelete('set null'),
        check(`contacts_${k}_source_pair`, sql`(${id} is null) = (${type} is null)`),
      ];
    }),
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
