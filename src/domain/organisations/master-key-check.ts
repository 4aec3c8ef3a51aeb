// Refuses, at start, a master key that is not the installation's: without this check a second key
// creates organisations that the first cannot read, and reads fail later, one by one.
import { timingSafeEqual } from 'node:crypto';
import { asc } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { installation, orgKeys } from '../../db/schema/index.ts';
import { MasterKeyError, masterKeyCheck } from '../../crypto/master-key.ts';
import { unwrapOrgKeys } from '../../crypto/org-keys.ts';

/**
 * Compares the master key with the installation's stored check value. An installation from
 * before the check (no value stored) proves the key by opening its oldest organisation's data key,
 * then stores the value; an installation without organisations stores it at once.
 * `source` names the setting the key came from (see keySource).
 */
export async function checkMasterKey(db: Db, master: Buffer, source: string): Promise<void> {
  const expected = masterKeyCheck(master);
  const wrong = () =>
    new MasterKeyError(
      `the master key (${source}) is not this installation's: the data of its organisations cannot be opened with it; set the key it was created with (restore it from your backup)`,
    );
  let [row] = await db.select().from(installation);
  if (!row) {
    const [oldest] = await db
      .select({ orgId: orgKeys.orgId, wrappedKey: orgKeys.wrappedKey })
      .from(orgKeys)
      .orderBy(asc(orgKeys.createdAt), asc(orgKeys.orgId))
      .limit(1);
    if (oldest) {
      try {
        unwrapOrgKeys(master, oldest.orgId, oldest.wrappedKey);
      } catch {
        throw wrong();
      }
    }
    // Two first starts racing store one value; the loser compares with it below.
    await db.insert(installation).values({ keyCheck: expected }).onConflictDoNothing();
    [row] = await db.select().from(installation);
  }
  if (!row || row.keyCheck.length !== expected.length || !timingSafeEqual(row.keyCheck, expected))
    throw wrong();
}
