// Contacts: created only together with their provenance (SRC-6), identifiers sealed, targeting
// attributes in clear. The database refuses a contact without provenance at commit, too.
import { isPcsCode } from '../../policy/vocabularies/pcs-2020.ts';
import { isPollingStationCode } from '../../policy/vocabularies/polling-station.ts';
import { randomUUID } from 'node:crypto';
import { and, count, eq, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { contactProvenance, contacts, dataSources } from '../../db/schema/index.ts';
import { blindIndex, normaliseEmail } from '../../crypto/blind-index.ts';
import { phoneReadings } from './phone-numbers.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { getSource } from '../sources/sources.ts';
import { parseInput, type Actor } from '../validation.ts';
import {
  identitySchema,
  indexIdentity,
  nameBirthKey,
  openIdentity,
  sealIdentity,
  type ContactIdentity,
} from './identity.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { supplierColumns, suppliersOfNew } from './suppliers.ts';

/** Attributes lawful targeting may use (SEG-1), stored in clear. */
export const attributesSchema = z
  .object({
    birthYear: z.number().int().min(1900).max(2100).optional(),
    sex: z.enum(['F', 'M']).optional(),
    communeCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^(\d{5}|2[AB]\d{3})$/, 'must be an INSEE commune code')
      .optional(),
    postalCode: z
      .string()
      .trim()
      .regex(/^\d{5}$/, 'must be 5 digits')
      .optional(),
    // SEG-2: closed vocabularies, here as at import (policy/vocabularies).
    pollingStation: z
      .string()
      .refine(isPollingStationCode, 'must be a polling-station number of four digits')
      .optional(),
    csp: z
      .string()
      .refine(isPcsCode, 'must be an INSEE PCS 2020 group or category code')
      .optional(),
  })
  .strict();

export type ContactAttributes = z.output<typeof attributesSchema>;

export type Provenance = {
  sourceId: string;
  sourceType: string;
  importId: string | null;
  recordedAt: Date;
  recordedBy: string;
};

export type Contact = ContactAttributes & {
  id: string;
  orgId: string;
  identity: ContactIdentity;
  provenance: Provenance[];
};

/**
 * Adds one contact from a source. The import pipeline uses the same sealing and indexing;
 * this is the single-row path (forms, staff entry, tests).
 */
export async function addContact(
  db: Db,
  options: {
    keys: KeyRing;
    orgId: string;
    sourceId: string;
    importId?: string;
    identity: unknown;
    attributes?: unknown;
    actor: Actor;
  },
): Promise<{ id: string }> {
  const identity = parseInput(identitySchema, options.identity);
  const attributes = parseInput(attributesSchema, options.attributes ?? {});
  const source = await getSource(db, { sourceId: options.sourceId, orgId: options.orgId });
  const birthYear =
    attributes.birthYear ??
    (identity.birthDate ? Number(identity.birthDate.slice(0, 4)) : undefined);
  if (identity.birthDate && attributes.birthYear && attributes.birthYear !== birthYear) {
    throw DomainError.keyed(
      'invalid',
      'contact.birth_year_mismatch',
      'birthYear: does not match the birth date',
    );
  }
  const keys = await options.keys.forOrg(db, options.orgId);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(contacts).values({
      id,
      orgId: options.orgId,
      identity: sealIdentity(keys, options.orgId, id, identity),
      ...indexIdentity(keys, identity),
      ...attributes,
      birthYear: birthYear ?? null,
      hasAddress: Boolean(identity.streetAddress),
      ...supplierColumns(suppliersOfNew(identity, source)),
    });
    await tx.insert(contactProvenance).values({
      orgId: options.orgId,
      contactId: id,
      sourceId: source.id,
      importId: options.importId ?? null,
      recordedBy: options.actor,
    });
  });
  return { id };
}

export async function getContact(
  db: Db,
  options: { keys: KeyRing; orgId: string; contactId: string; actor?: Actor },
): Promise<Contact> {
  const id = parseInput(z.uuid({ message: 'contact id must be a UUID' }), options.contactId);
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), eq(contacts.orgId, options.orgId)));
  if (!row)
    throw DomainError.keyed(
      'not_found',
      'contact.not_found',
      `contact ${id} does not exist in this organisation`,
      { id },
    );
  const keys = await options.keys.forOrg(db, options.orgId);
  // Every read of identifiers is on the record (SEC-2).
  await recordAudit(db, {
    actor: options.actor ?? 'system',
    action: 'contact.read',
    orgId: options.orgId,
    entityType: 'contact',
    entityId: id,
  });
  const provenance = await db
    .select({
      sourceId: contactProvenance.sourceId,
      sourceType: dataSources.type,
      importId: contactProvenance.importId,
      recordedAt: contactProvenance.recordedAt,
      recordedBy: contactProvenance.recordedBy,
    })
    .from(contactProvenance)
    .innerJoin(dataSources, eq(dataSources.id, contactProvenance.sourceId))
    .where(eq(contactProvenance.contactId, id))
    .orderBy(contactProvenance.id);
  const attributes: ContactAttributes = {};
  if (row.birthYear !== null) attributes.birthYear = row.birthYear;
  if (row.sex !== null) attributes.sex = row.sex;
  if (row.communeCode !== null) attributes.communeCode = row.communeCode;
  if (row.postalCode !== null) attributes.postalCode = row.postalCode;
  if (row.pollingStation !== null) attributes.pollingStation = row.pollingStation;
  if (row.csp !== null) attributes.csp = row.csp;
  return {
    id: row.id,
    orgId: row.orgId,
    identity: openIdentity(keys, row.orgId, row.id, row.identity),
    ...attributes,
    provenance,
  };
}

/** Finds contacts by an identifier through the blind indexes, without decrypting anything. */
export async function findContactIds(
  db: Db,
  options: {
    keys: KeyRing;
    orgId: string;
    email?: string;
    phone?: string;
    person?: Pick<ContactIdentity, 'birthName' | 'usageName' | 'firstNames' | 'birthDate'>;
  },
): Promise<string[]> {
  const keys = await options.keys.forOrg(db, options.orgId);
  const clauses: SQL[] = [];
  if (options.email)
    clauses.push(
      eq(contacts.emailIndex, blindIndex(keys.index, 'email', normaliseEmail(options.email))),
    );
  // Every reading of the number: a contact stored as +33 596… before issue 13 is found by +596….
  if (options.phone)
    for (const phone of phoneReadings(options.phone.trim()))
      clauses.push(eq(contacts.phoneIndex, blindIndex(keys.index, 'phone', phone)));
  const nameKey = options.person && nameBirthKey(options.person);
  if (nameKey)
    clauses.push(eq(contacts.nameBirthIndex, blindIndex(keys.index, 'name_birth', nameKey)));
  if (clauses.length === 0) {
    throw DomainError.keyed(
      'invalid',
      'contact.identifier_required',
      'give an email, a phone, or family name + first names + birth date',
    );
  }
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.orgId, options.orgId), or(...clauses)));
  return rows.map((r) => r.id);
}

export async function countContacts(
  db: Db,
  options: { orgId: string },
): Promise<{ total: number }> {
  const org = await getOrganisation(db, options);
  const [row] = await db
    .select({ total: count() })
    .from(contacts)
    .where(eq(contacts.orgId, org.id));
  return { total: Number(row?.total ?? 0) };
}
