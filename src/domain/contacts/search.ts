// Staff find a person (issue 15, item 5): by email, by phone, or by family name + first names +
// birth date, through the blind indexes only. Nothing is decrypted to search: only the contacts
// found are opened, to show who they are. Every search is audited with how it searched and how
// many it found, never the value searched for (SEC-2).
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { contactProvenance, contacts, dataSources } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import { findContactIds } from './contacts.ts';
import { emailField, openIdentity } from './identity.ts';
import { lookupPhone } from './phone-numbers.ts';

/** More than this many people for one email, phone or name and birth date is not a search. */
export const SEARCH_LIMIT = 50;

const searchSchema = z
  .object({
    email: emailField.optional(),
    // Written as the person gives it ("06 12 34 56 78"): read below as the import reads numbers.
    phone: z.string().trim().min(1, 'must not be empty').max(40, 'is too long').optional(),
    familyName: plainText(200).optional(),
    firstNames: plainText(200).optional(),
    birthDate: z.iso.date('must be a date written YYYY-MM-DD').optional(),
  })
  .strict();

export type SearchBy = 'email' | 'phone' | 'name';

export type ContactHit = {
  contactId: string;
  firstNames: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  sourceTypes: string[];
};

/** The phone number someone gives, as the organisation's imports read it. */
export async function phoneOfOrganisation(db: Db, orgId: string, value: string): Promise<string> {
  const { jurisdiction } = await getOrganisation(db, { orgId });
  const phone = lookupPhone(value, jurisdiction);
  if (phone) return phone;
  throw DomainError.keyed(
    'invalid',
    'contact.invalid_phone',
    'phone: is not a valid phone number (e.g. 06 12 34 56 78 or +33 6 12 34 56 78)',
  );
}

export async function searchContacts(
  db: Db,
  options: { keys: KeyRing; orgId: string; input: unknown; actor: Actor; clock: Clock },
): Promise<{ items: ContactHit[] }> {
  const input = parseInput(searchSchema, options.input);
  const byName = Boolean(input.familyName || input.firstNames || input.birthDate);
  const ways = [input.email, input.phone, byName].filter(Boolean).length;
  if (ways !== 1 || (byName && !(input.familyName && input.firstNames && input.birthDate)))
    throw DomainError.keyed(
      'invalid',
      'contact.identifier_required',
      'give an email, a phone, or family name + first names + birth date',
    );
  const by: SearchBy = input.email ? 'email' : input.phone ? 'phone' : 'name';
  const ids = await findContactIds(db, {
    keys: options.keys,
    orgId: options.orgId,
    ...(input.email ? { email: input.email } : {}),
    ...(input.phone ? { phone: await phoneOfOrganisation(db, options.orgId, input.phone) } : {}),
    // The name the index is made of: the birth name, else the usage name (identity.ts).
    ...(byName
      ? {
          person: {
            birthName: input.familyName!,
            firstNames: input.firstNames!,
            birthDate: input.birthDate!,
          },
        }
      : {}),
  });
  const found = ids.slice(0, SEARCH_LIMIT);
  const items: ContactHit[] = [];
  if (found.length) {
    const keys = await options.keys.forOrg(db, options.orgId);
    const rows = await db
      .select({ id: contacts.id, identity: contacts.identity })
      .from(contacts)
      .where(inArray(contacts.id, found))
      .orderBy(contacts.createdAt, contacts.id);
    const sources = await db
      .selectDistinct({ contactId: contactProvenance.contactId, type: dataSources.type })
      .from(contactProvenance)
      .innerJoin(dataSources, eq(dataSources.id, contactProvenance.sourceId))
      .where(inArray(contactProvenance.contactId, found));
    for (const row of rows) {
      const identity = openIdentity(keys, options.orgId, row.id, row.identity);
      items.push({
        contactId: row.id,
        firstNames: identity.firstNames ?? null,
        name: identity.usageName ?? identity.birthName ?? null,
        email: identity.email ?? null,
        phone: identity.phone ?? null,
        sourceTypes: [
          ...new Set(sources.filter((s) => s.contactId === row.id).map((s) => s.type)),
        ].sort(),
      });
    }
  }
  await recordAudit(
    db,
    {
      actor: options.actor,
      action: 'contact.search',
      orgId: options.orgId,
      entityType: 'contact',
      entityId: items.length === 1 ? items[0]!.contactId : null,
      summary: { by, found: items.length },
    },
    options.clock,
  );
  return { items };
}
