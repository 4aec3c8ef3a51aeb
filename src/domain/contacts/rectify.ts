// RIGHTS-1, rectification: staff correct one field of a contact (an identifier or a targeting
// attribute), validated as the import validates it, re-sealed and re-indexed in one transaction,
// with a contact_rectifications row and an audit event that name the field only, never a value.
//
// Side doors (SRC-8, OPT-3): a correction never brings an objector back. A new value whose
// suppression hash is on the list (an email, a phone, a name + birth date, a name + address of
// someone who objected) is refused; and a contact who objected and stays (a member) keeps objecting
// under the corrected identifiers too (their new hashes join the list).
//
// SRC-3: a changed email or phone keeps the source that supplied the old one only when the
// correction answers the person's own confirmed rectification request (`requestId`: a request of
// kind rectification of this organisation, open, extended or answered, that matched this
// contact): it is then the person's own correction of what the source supplied. Typed by staff
// without such a request, the new address has no source: not reachable on that channel until a
// source supplies it. The answer's `sourceKept` says which.
//
// Two contacts never share an email or a phone through a correction: a value that another
// contact of the organisation already holds is refused (conflict). Merging two records of one
// person is erasing the duplicate (erase-contact.ts) after correcting the one that stays.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { contactRectifications, contacts } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { suppressedAmong, suppressIdentity, suppressionHashes } from '../objections/suppression.ts';
import { parseInput, type Actor, type Clock } from '../validation.ts';
import { lockContact, requestOfOrganisation } from './contact-to-change.ts';
import { attributesSchema, findContactIds } from './contacts.ts';
import {
  emailField,
  identitySchema,
  indexIdentity,
  openIdentity,
  sealIdentity,
  type ContactIdentity,
} from './identity.ts';
import { phoneOfOrganisation } from './search.ts';

export const IDENTITY_FIELDS = [
  'firstNames',
  'birthName',
  'usageName',
  'birthDate',
  'email',
  'phone',
  'streetAddress',
] as const;
export const ATTRIBUTE_FIELDS = [
  'postalCode',
  'communeCode',
  'birthYear',
  'sex',
  'pollingStation',
  'csp',
] as const;
export const RECTIFIABLE_FIELDS = [...IDENTITY_FIELDS, ...ATTRIBUTE_FIELDS] as const;
export type RectifiableField = (typeof RECTIFIABLE_FIELDS)[number];

const inputSchema = z
  .object({
    field: z.enum(RECTIFIABLE_FIELDS, {
      message: `must be one of ${RECTIFIABLE_FIELDS.join(', ')}`,
    }),
    /** The new value; null (or an empty string) removes it. */
    value: z.union([z.string().max(2000, 'is too long'), z.number(), z.null()]),
    /** The rights request this correction answers, if any. */
    requestId: z.uuid('must be a UUID').optional(),
  })
  .strict();

const isIdentityField = (f: RectifiableField): f is (typeof IDENTITY_FIELDS)[number] =>
  (IDENTITY_FIELDS as readonly string[]).includes(f);

type AttributeValues = {
  postalCode: string | null;
  communeCode: string | null;
  birthYear: number | null;
  sex: 'F' | 'M' | null;
  pollingStation: string | null;
  csp: string | null;
};

/**
 * A confirmed rights request still in the DPO's hands: the person proved the address (the code)
 * and the request is not answered yet. An answered one lets nothing more keep a source.
 */
const CONFIRMED: readonly string[] = ['open', 'extended'];

const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));

export async function rectifyContact(
  db: Db,
  options: {
    keys: KeyRing;
    orgId: string;
    contactId: string;
    input: unknown;
    actor: Actor;
    clock: Clock;
  },
): Promise<{
  id: string;
  field: RectifiableField;
  rectifiedAt: string;
  /**
   * For an email or phone: it still has a supplying source (unchanged, or changed in answer to
   * the person's rectification request). False when it has none (changed by staff without such
   * a request, or removed): not reachable on that channel until a source supplies it. True for
   * other fields.
   */
  sourceKept: boolean;
}> {
  const contactId = parseInput(z.uuid('contact id must be a UUID'), options.contactId);
  const input = parseInput(inputSchema, options.input);
  const field = input.field;
  const raw = typeof input.value === 'string' && input.value.trim() === '' ? null : input.value;
  // Read as the import reads it: the phone in the organisation's jurisdiction, the email
  // lower-cased, the rest by the identity's and the attributes' own schemas below.
  let value: string | number | null = raw;
  if (raw !== null && field === 'phone')
    value = await phoneOfOrganisation(db, options.orgId, String(raw));
  if (raw !== null && field === 'email')
    value = parseInput(z.object({ email: emailField }), { email: raw }).email;
  const keys = await options.keys.forOrg(db, options.orgId);
  const now = options.clock();
  return db.transaction(async (tx) => {
    const row = await lockContact(tx, options.orgId, contactId);
    // The rights request this correction answers, when named: it must be the person's own
    // confirmed rectification request (it alone lets a changed email or phone keep its source).
    if (input.requestId) {
      const request = await requestOfOrganisation(tx, options.orgId, input.requestId, row.id);
      if (
        request.kind !== 'rectification' ||
        !CONFIRMED.includes(request.status) ||
        !request.matched
      )
        throw DomainError.keyed(
          'invalid',
          'contact.request_not_rectification',
          'requestId: not a confirmed rectification request of this contact (RIGHTS-1, SRC-3)',
          {},
          'SRC-3',
        );
    }
    const before = openIdentity(keys, options.orgId, row.id, row.identity);
    let identity: ContactIdentity = before;
    const attributes: AttributeValues = {
      postalCode: row.postalCode,
      communeCode: row.communeCode,
      birthYear: row.birthYear,
      sex: row.sex,
      pollingStation: row.pollingStation,
      csp: row.csp,
    };
    if (isIdentityField(field)) {
      const next: Record<string, unknown> = { ...before };
      if (value === null) delete next[field];
      else next[field] = typeof value === 'string' ? value : String(value);
      identity = parseInput(identitySchema, next);
      // The birth date decides the birth year that targeting uses.
      if (field === 'birthDate' && identity.birthDate)
        attributes.birthYear = Number(identity.birthDate.slice(0, 4));
    } else {
      const parsed = parseInput(attributesSchema, value === null ? {} : { [field]: value });
      (attributes as Record<string, unknown>)[field] = parsed[field] ?? null;
      if (
        field === 'birthYear' &&
        identity.birthDate &&
        attributes.birthYear !== Number(identity.birthDate.slice(0, 4))
      )
        throw DomainError.keyed(
          'invalid',
          'contact.birth_year_mismatch',
          'birthYear: does not match the birth date',
        );
    }
    // Two contacts of one organisation never come to share an email or a phone here.
    if (
      (field === 'email' || field === 'phone') &&
      identity[field] &&
      identity[field] !== before[field]
    ) {
      const others = (
        await findContactIds(tx, {
          keys: options.keys,
          orgId: options.orgId,
          [field]: identity[field],
        })
      ).filter((id) => id !== row.id);
      if (others.length)
        throw DomainError.keyed(
          'conflict',
          'contact.identifier_taken',
          `${field}: another contact of this organisation already holds it; correct or erase that contact first`,
          { field },
        );
    }
    // SRC-8: what the corrected identity newly names must not be an objector's.
    const place = { postalCode: attributes.postalCode };
    const old = new Set(hex(suppressionHashes(keys, before, { postalCode: row.postalCode })));
    const added = suppressionHashes(keys, identity, place).filter(
      (h) => !old.has(h.toString('hex')),
    );
    if ((await suppressedAmong(tx, { orgId: options.orgId, hashes: added })).size > 0)
      throw DomainError.keyed(
        'refused',
        'contact.rectify_suppressed',
        `${field}: the new value names someone who objected: a correction cannot bring them back (SRC-8)`,
        { field },
        'SRC-8',
      );
    // An objector who stays (a member withdrawn everywhere) objects under the new value too.
    // A changed email, phone or address keeps the source that supplied it (the person's own
    // correction is not a new source); one removed takes its source with it (below).
    const objected =
      (
        await suppressedAmong(tx, {
          orgId: options.orgId,
          hashes: suppressionHashes(keys, before, { postalCode: row.postalCode }),
        })
      ).size > 0;
    if (objected && added.length)
      await suppressIdentity(tx, { keys, orgId: options.orgId, identity, place });
    // SRC-3: a changed email or phone keeps the source that supplied the old one only when the
    // person's own rectification request is behind it; else it has no source (not reachable on
    // that channel until a source supplies it). One removed takes its source with it; an address
    // correction keeps its source.
    const changed =
      (field === 'email' || field === 'phone') &&
      identity[field] !== undefined &&
      identity[field] !== before[field];
    const dropSource = changed && !input.requestId;
    const emailSource = identity.email && !(dropSource && field === 'email');
    const phoneSource = identity.phone && !(dropSource && field === 'phone');
    await tx
      .update(contacts)
      .set({
        identity: sealIdentity(keys, options.orgId, row.id, identity),
        ...indexIdentity(keys, identity),
        ...attributes,
        hasAddress: Boolean(identity.streetAddress),
        ...(emailSource ? {} : { emailSourceId: null, emailSourceType: null }),
        ...(phoneSource ? {} : { phoneSourceId: null, phoneSourceType: null }),
        ...(identity.streetAddress ? {} : { addressSourceId: null, addressSourceType: null }),
        updatedAt: now,
      })
      .where(eq(contacts.id, row.id));
    await tx.insert(contactRectifications).values({
      orgId: options.orgId,
      contactId: row.id,
      field,
      requestId: input.requestId ?? null,
      rectifiedAt: now,
      rectifiedBy: options.actor,
    });
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'contact.rectify',
        orgId: options.orgId,
        entityType: 'contact',
        entityId: row.id,
        summary: input.requestId ? { field, requestId: input.requestId } : { field },
      },
      options.clock,
    );
    const sourceKept =
      field === 'email'
        ? Boolean(emailSource && row.emailSourceId)
        : field === 'phone'
          ? Boolean(phoneSource && row.phoneSourceId)
          : true;
    return { id: row.id, field, rectifiedAt: now.toISOString(), sourceKept };
  });
}
