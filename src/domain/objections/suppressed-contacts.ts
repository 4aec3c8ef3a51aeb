// OPT-1 / OPT-3: which of these (already decrypted) contacts are on the suppression list. Exports
// and volunteers' lists leave them out, so that an objection recorded by identifier only (a letter
// naming an email, a reply) covers every contact holding that identifier, whatever its consent.
import type { Db } from '../../db/open-db.ts';
import type { OrgKeys } from '../../crypto/org-keys.ts';
import type { ContactIdentity } from '../contacts/identity.ts';
import { suppressedAmong, suppressionHashes } from './suppression.ts';

export async function suppressedContacts(
  db: Db,
  options: { keys: OrgKeys; orgId: string; people: { id: string; identity: ContactIdentity }[] },
): Promise<Set<string>> {
  const hashesOf = new Map(
    options.people.map((p) => [p.id, suppressionHashes(options.keys, p.identity)]),
  );
  const suppressed = await suppressedAmong(db, {
    orgId: options.orgId,
    hashes: [...hashesOf.values()].flat(),
  });
  return new Set(
    [...hashesOf]
      .filter(([, hashes]) => hashes.some((h) => suppressed.has(h.toString('hex'))))
      .map(([id]) => id),
  );
}
