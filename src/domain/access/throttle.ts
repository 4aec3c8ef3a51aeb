// SEC-2: brute force is throttled per account, in the database (so several server processes share
// the count). Each attempt is reserved before the secret is checked, in one statement that also
// refuses while the account is locked: parallel guesses cannot slip past the count. The fifth
// attempt in a row without a success locks the account for 30 s, each further one twice as long,
// up to 15 minutes. A success clears the count.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { users } from '../../db/schema/index.ts';
import { ThrottledError } from '../errors.ts';

export const FREE_ATTEMPTS = 5;
const BASE_LOCK_S = 30;
const MAX_LOCK_S = 15 * 60;

/** Counts one attempt, or throws ThrottledError while the account is locked. */
export async function reserveAttempt(db: Db, userId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  const reserved = (await db.execute(sql`
    update users set
      failed_attempts = failed_attempts + 1,
      locked_until = case when failed_attempts + 1 >= ${FREE_ATTEMPTS}
        then ${at}::timestamptz + make_interval(secs => least(${MAX_LOCK_S},
          ${BASE_LOCK_S} * power(2, failed_attempts + 1 - ${FREE_ATTEMPTS})))
        else locked_until end
    where id = ${userId} and (locked_until is null or locked_until <= ${at}::timestamptz)
    returning id`)) as unknown as { rows: unknown[] };
  if (reserved.rows.length > 0) return;
  const [user] = await db
    .select({ lockedUntil: users.lockedUntil })
    .from(users)
    .where(eq(users.id, userId));
  const wait = user?.lockedUntil ? (user.lockedUntil.getTime() - now.getTime()) / 1000 : 1;
  throw new ThrottledError(Math.max(1, Math.ceil(wait)));
}

export async function clearAttempts(db: Db, userId: string) {
  await db.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, userId));
}

/**
 * Gives back the attempt a right password reserved when a second factor is still due: the
 * password does not count as a failure, yet earlier failures stay (signing in again does not buy
 * a fresh budget of code guesses).
 */
export async function releaseAttempt(db: Db, userId: string) {
  await db.execute(sql`
    update users set
      failed_attempts = greatest(failed_attempts - 1, 0),
      locked_until = case when failed_attempts - 1 < ${FREE_ATTEMPTS} then null else locked_until end
    where id = ${userId}`);
}

/** How long the n-th attempt in a row without a success locks an account, in seconds. */
const lockSeconds = (attempt: number) =>
  Math.min(MAX_LOCK_S, BASE_LOCK_S * 2 ** (attempt - FREE_ATTEMPTS));

/**
 * No account enumeration (SEC-2): an email without an account (or a disabled one) is throttled
 * exactly as an account would be, same count, same locks, same Retry-After, so that a guesser
 * cannot tell the two apart by the answers. In memory, per server process, bounded (the oldest
 * email goes first); emails are held as hashes only.
 */
export class UnknownAccountAttempts {
  readonly #entries = new Map<string, { attempts: number; lockedUntil: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.#maxEntries = maxEntries;
  }

  /** Counts one attempt for this email, or throws ThrottledError while it would be locked. */
  reserve(email: string, now: Date): void {
    const key = createHash('sha256')
      .update(`isoloir unknown account\0${email}`)
      .digest('base64url');
    const t = now.getTime();
    let entry = this.#entries.get(key);
    if (entry && entry.lockedUntil > t)
      throw new ThrottledError(Math.max(1, Math.ceil((entry.lockedUntil - t) / 1000)));
    if (entry) this.#entries.delete(key);
    else if (this.#entries.size >= this.#maxEntries)
      this.#entries.delete(this.#entries.keys().next().value!);
    entry ??= { attempts: 0, lockedUntil: 0 };
    this.#entries.set(key, entry); // most recently tried last: the oldest go first
    entry.attempts += 1;
    if (entry.attempts >= FREE_ATTEMPTS) entry.lockedUntil = t + lockSeconds(entry.attempts) * 1000;
  }
}

/** The server process's count of attempts on emails without an account. */
export const unknownAccountAttempts = new UnknownAccountAttempts();
