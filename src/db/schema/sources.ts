// Data sources: where contacts come from (SRC-*). Only lawful types can be stored.
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { elections } from './elections.ts';
import { LAWFUL_SOURCE_TYPES } from '../../policy/sources.ts';
import { orgIdColumn } from './references.ts';

// The lawful source types are policy (SRC-1): policy/sources.ts, beside the forbidden ones.
export { LAWFUL_SOURCE_TYPES, type SourceType } from '../../policy/sources.ts';

/** SRC-3: the provider's attestation that each person consented to political messages. */
export type Attestation = {
  provider: string;
  date: string;
  consentWording: string;
  proofReference: string;
};

/** SRC-4: for data collected directly, where, when and with which notice. */
export type Collection = {
  where?: string;
  notice?: string;
};

export const dataSources = pgTable(
  'data_sources',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    type: text('type', { enum: LAWFUL_SOURCE_TYPES }).notNull(),
    label: text('label').notNull(),
    obtainedOn: date('obtained_on', { mode: 'string' }).notNull(),
    electionId: uuid('election_id').references(() => elections.id, { onDelete: 'restrict' }),
    attestation: jsonb('attestation').$type<Attestation>(),
    collection: jsonb('collection').$type<Collection>(),
    /** NOT-1: how the organisation describes this source to the people it names (public). */
    publicDescription: text('public_description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    index('data_sources_org').on(t.orgId),
    // The database refuses forbidden types even if the domain check were bypassed (SRC-1, SRC-7).
    check(
      'data_sources_lawful_type',
      sql.raw(`type in (${LAWFUL_SOURCE_TYPES.map((s) => `'${s}'`).join(', ')})`),
    ),
    check(
      'data_sources_purchased_attested',
      sql`${t.type} <> 'purchased_file' or ${t.attestation} is not null`,
    ),
    check(
      'data_sources_public_description_length',
      sql`${t.publicDescription} is null or char_length(${t.publicDescription}) <= 300`,
    ),
    // Contacts reference (id, type) for each identifier's source (migration 0011).
    unique('data_sources_id_type').on(t.id, t.type),
  ],
);
