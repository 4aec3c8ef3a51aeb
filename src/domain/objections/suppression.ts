// OPT-3 / SRC-8: the suppression list. An objection stores keyed one-way hashes of the person's
// identifiers (email, phone, name + birth date) and nothing else; imports and sends check them.
// There is no function here that lists hashes: the list can only answer "is this suppressed?".
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { suppressions } from '../../db/schema/index.ts';
import { blindIndex, normaliseEmail } from '../../crypto/blind-index.ts';
import type { OrgKeys } from '../../crypto/org-keys.ts';
import { nameBirthKey, type ContactIdentity } from '../contacts/identity.ts';

/** The hashes that stand for a person on the suppression list. */
export function suppressionHashes(keys: OrgKeys, identity: ContactIdentity): Buffer[] {
  const hashes: Buffer[] = [];
  if (identity.email)
    hashes.push(blindIndex(keys.suppression, 'email', normaliseEmail(identity.email)));
  if (identity.phone) hashes.push(blindIndex(keys.suppression, 'phone', identity.phone));
  const nameKey = nameBirthKey(identity);
  if (nameKey) hashes.push(blindIndex(keys.suppression, 'name_birth', nameKey));
  return hashes;
}

/** Adds a person to the suppression list (idempotent); returns how many hashes were new. */
export async function suppressIdentity(
  db: Db,
  options: { keys: OrgKeys; orgId: string; identity: ContactIdentity },
): Promise<number> {
  const hashes = suppressionHashes(options.keys, options.identity);
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
