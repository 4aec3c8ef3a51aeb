// SEC-2: brute force is throttled per account, in the database (so several server processes share
// the count). Each attempt is reserved before the secret is checked, in one statement that also
// refuses while the account is locked: parallel guesses cannot slip past the count. The fifth
// attempt in a row without a success locks the account for 30 s, each further one twice as long,
// up to 15 minutes. A success clears the count.
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
