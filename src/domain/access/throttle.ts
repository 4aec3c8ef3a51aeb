// SEC-2: brute force is throttled per account, in the database (so several server processes share
// the count). Five failures in a row lock the account for 30 s, then twice as long after each
// further failure, up to 15 minutes. A success resets the count.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { users } from '../../db/schema/index.ts';
import { ThrottledError } from '../errors.ts';

export const FREE_ATTEMPTS = 5;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

export function refuseIfLocked(lockedUntil: Date | null, now: Date) {
  if (lockedUntil && lockedUntil > now)
    throw new ThrottledError(Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

export async function recordFailure(db: Db, userId: string, now: Date) {
  const [row] = await db
    .update(users)
    .set({ failedAttempts: sql`${users.failedAttempts} + 1` })
    .where(eq(users.id, userId))
    .returning({ failed: users.failedAttempts });
  const failed = row?.failed ?? 0;
  if (failed >= FREE_ATTEMPTS) {
    const lock = Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failed - FREE_ATTEMPTS));
    await db
      .update(users)
      .set({ lockedUntil: new Date(now.getTime() + lock) })
      .where(eq(users.id, userId));
  }
}

export async function recordSuccess(db: Db, userId: string) {
  await db.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, userId));
}
