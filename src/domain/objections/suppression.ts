// OPT-3 / SRC-8: the suppression list. An objection stores keyed one-way hashes of the person's
// identifiers (email, phone, name + birth date, name + postal address) and nothing else; imports
// and sends check them. Name + postal address is what stands for someone met at their door, who
// has no email, phone or birth date: without it, erasing them would leave nothing to suppress.
// There is no function here that lists hashes: the list can only answer "is this suppressed?".
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { suppressions } from '../../db/schema/index.ts';
import { blindIndex, normaliseEmail, normaliseName } from '../../crypto/blind-index.ts';
import type { OrgKeys } from '../../crypto/org-keys.ts';
import { nameBirthKey, type ContactIdentity } from '../contacts/identity.ts';
import { phoneReadings } from '../contacts/phone-numbers.ts';

/** Where the person lives, beyond their identity: the postal code is a (clear) attribute. */
export type SuppressionPlace = { postalCode?: string | null | undefined };

/**
 * Family name, first names, street address and postal code, normalised (case, accents, hyphens,
 * punctuation and spacing do not count). Needs at least a family name and a street address.
 */
export function nameAddressKey(
  identity: ContactIdentity,
  postalCode: string | null | undefined,
): string | undefined {
  const family = identity.birthName ?? identity.usageName;
  if (!family || !identity.streetAddress) return undefined;
  const address = normaliseName(identity.streetAddress.replace(/[,;]/g, ' '));
  return `${normaliseName(family)}|${normaliseName(identity.firstNames ?? '')}|${address}|${postalCode ?? ''}`;
}

/**
 * The hashes that stand for a person on the suppression list. The name + address hash is computed
 * only when `place` is given (imports, objections): a caller that does not know the postal code
 * (the send engine matches by email and phone) would otherwise compute a different one.
 */
export function suppressionHashes(
  keys: OrgKeys,
  identity: ContactIdentity,
  place?: SuppressionPlace,
): Buffer[] {
  const hashes: Buffer[] = [];
  if (identity.email)
    hashes.push(blindIndex(keys.suppression, 'email', normaliseEmail(identity.email)));
  // Every reading of the number (an overseas one stored as +33 before issue 13): an objection
  // given in one form still stops a contact stored in the other.
  if (identity.phone)
    for (const phone of phoneReadings(identity.phone))
      hashes.push(blindIndex(keys.suppression, 'phone', phone));
  const nameKey = nameBirthKey(identity);
  if (nameKey) hashes.push(blindIndex(keys.suppression, 'name_birth', nameKey));
  const addressKey = place && nameAddressKey(identity, place.postalCode);
  if (addressKey) hashes.push(blindIndex(keys.suppression, 'name_address', addressKey));
  return hashes;
}

/** Adds a person to the suppression list (idempotent); returns how many hashes were new. */
export async function suppressIdentity(
  db: Db,
  options: { keys: OrgKeys; orgId: string; identity: ContactIdentity; place?: SuppressionPlace },
): Promise<number> {
  const hashes = suppressionHashes(options.keys, options.identity, options.place ?? {});
  // A later row with the same name and street but no postal code is taken for the same person.
  const withoutPostal = options.place?.postalCode
    ? nameAddressKey(options.identity, undefined)
    : undefined;
  if (withoutPostal)
    hashes.push(blindIndex(options.keys.suppression, 'name_address', withoutPostal));
  if (hashes.length === 0) return 0;
  const added = await db
    .insert(suppressions)
    .values(hashes.map((hash) => ({ orgId: options.orgId, hash })))
    .onConflictDoNothing()
    .returning({ orgId: suppressions.orgId });
  return added.length;
}

/** Which of these hashes are suppressed (as hex strings), in one query with one array parameter. */
export async function suppressedAmong(
  db: Db,
  options: { orgId: string; hashes: Buffer[] },
): Promise<Set<string>> {
  if (options.hashes.length === 0) return new Set();
  const result = (await db.execute(sql`
    select encode(hash, 'hex') as hash from suppressions
    where org_id = ${options.orgId}
      and hash = any(array(select decode(v, 'base64') from unnest(${sql.param(options.hashes.map((h) => h.toString('base64')))}::text[]) v))`)) as unknown as {
    rows: { hash: string }[];
  };
  return new Set(result.rows.map((r) => r.hash));
}
