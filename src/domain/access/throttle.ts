// SEC-2: brute force is throttled per account, in the database (so several server processes share
// the count). Each attempt is reserved before the secret is checked, in one statement that also
// refuses while the account is locked: parallel guesses cannot slip past the count. The fifth
// attempt in a row without a success locks the account for 30 s, each further one twice as long,
// up to 15 minutes. A success clears the count.
import { createHmac } from 'node:crypto';
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { signInUnknownAttempts, users } from '../../db/schema/index.ts';
import { ThrottledError } from '../errors.ts';

export const FREE_ATTEMPTS = 5;
const BASE_LOCK_S = 30;
const MAX_LOCK_S = 15 * 60;

/** Counts one attempt, or throws ThrottledError while the account is locked. */
export async function reserveAttempt(db: Db, userId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  // The same work as an attempt on an unknown email (reserveUnknownAttempt).
  await purgeUnknownAttempts(db, now);
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

/** A row of sign_in_unknown_attempts whose last failure is older than this is purged. */
export const UNKNOWN_ATTEMPTS_KEPT_MS = 24 * 3600 * 1000;

/** The key of an email in sign_in_unknown_attempts: an HMAC, never the email. */
export const unknownEmailHash = (key: Buffer, email: string) =>
  createHmac('sha256', key).update(`isoloir unknown account\0${email}`, 'utf8').digest();

/** Bounded growth: forgets unknown emails whose last failure is over a day old (locks end long before). */
async function purgeUnknownAttempts(db: Db, now: Date) {
  const before = new Date(now.getTime() - UNKNOWN_ATTEMPTS_KEPT_MS).toISOString();
  await db.execute(
    sql`delete from sign_in_unknown_attempts where last_failure_at < ${before}::timestamptz`,
  );
}

/**
 * No account enumeration (SEC-2): an email without an account (or a disabled one) is throttled
 * exactly as an account would be, same count, same locks, same Retry-After, so that a guesser
 * cannot tell the two apart by the answers. In the database, as an account's count is: a
 * restart, another server process or a flood of other emails does not clear it. Each attempt
 * writes one row, as an account's does (and purges rows whose last failure is over a day old).
 * `key` is KeyRing.signInThrottleKey(); `email` is lower-cased.
 */
export async function reserveUnknownAttempt(
  db: Db,
  key: Buffer,
  email: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const hash = unknownEmailHash(key, email);
  await purgeUnknownAttempts(db, now);
  const lockFor = (failures: SQL) => sql`case when ${failures} >= ${FREE_ATTEMPTS}
        then ${at}::timestamptz + make_interval(secs => least(${MAX_LOCK_S},
          ${BASE_LOCK_S} * power(2, ${failures} - ${FREE_ATTEMPTS})))
        else null end`;
  const reserved = (await db.execute(sql`
    insert into sign_in_unknown_attempts as a (email_hash, failures, locked_until, last_failure_at)
    values (${hash}, 1, ${lockFor(sql`1`)}, ${at}::timestamptz)
    on conflict (email_hash) do update set
      failures = a.failures + 1,
      locked_until = ${lockFor(sql`a.failures + 1`)},
      last_failure_at = ${at}::timestamptz
    where a.locked_until is null or a.locked_until <= ${at}::timestamptz
    returning a.failures`)) as unknown as { rows: unknown[] };
  if (reserved.rows.length > 0) return;
  const [row] = await db
    .select({ lockedUntil: signInUnknownAttempts.lockedUntil })
    .from(signInUnknownAttempts)
    .where(eq(signInUnknownAttempts.emailHash, hash));
  const wait = row?.lockedUntil ? (row.lockedUntil.getTime() - now.getTime()) / 1000 : 1;
  throw new ThrottledError(Math.max(1, Math.ceil(wait)));
}
