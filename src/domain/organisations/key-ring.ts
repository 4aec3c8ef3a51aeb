// Gives the working keys of an organisation: unwraps its stored data key with the master key
// once per process and keeps the result in memory (never on disk, never in logs).
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { orgKeys } from '../../db/schema/index.ts';
import { newWrappedDataKey, unwrapOrgKeys, type OrgKeys } from '../../crypto/org-keys.ts';
import { DomainError } from '../errors.ts';
import { derivedKey, staffSecretKey } from '../../crypto/staff-secrets.ts';

export class KeyRing {
  readonly #master: Buffer;
  readonly #cache = new Map<string, OrgKeys>();

  constructor(master: Buffer) {
    this.#master = master;
  }

  /** Creates and stores the data key of a new organisation (inside its creating transaction). */
  async createOrgKey(db: Db, orgId: string): Promise<void> {
    await db.insert(orgKeys).values({ orgId, wrappedKey: newWrappedDataKey(this.#master, orgId) });
  }

  /** Seals staff secrets (TOTP seeds); derived from the master key, apart from any organisation. */
  staffKey(): Buffer {
    return staffSecretKey(this.#master);
  }

  /** Signs unsubscribe links; derived from the master key, so links survive restarts. */
  unsubscribeKey(): Buffer {
    return derivedKey(this.#master, 'isoloir unsubscribe links v1');
  }

  /** Hashes the emails of failed sign-ins without an account (throttle.ts), never stored plain. */
  signInThrottleKey(): Buffer {
    return derivedKey(this.#master, 'isoloir unknown sign-in emails v1');
  }

  async forOrg(db: Db, orgId: string): Promise<OrgKeys> {
    const cached = this.#cache.get(orgId);
    if (cached) return cached;
    const [row] = await db.select().from(orgKeys).where(eq(orgKeys.orgId, orgId));
    if (!row)
      throw DomainError.keyed(
        'not_found',
        'organisation.no_data_key',
        `organisation ${orgId} has no data key`,
        { id: orgId },
      );
    const keys = unwrapOrgKeys(this.#master, orgId, row.wrappedKey);
    this.#cache.set(orgId, keys);
    return keys;
  }
}
