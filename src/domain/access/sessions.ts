// Sign-in sessions for the web app. The browser holds a random token in an HTTP-only cookie; the
// database holds its hash. A session lasts 12 hours at most and ends after 1 hour unused. The
// CSRF token is derived from the session token, so it needs no storage and dies with the session.
import { createHmac, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { newSecret, secretHash } from '../../crypto/staff-secrets.ts';
import type { Db } from '../../db/open-db.ts';
import { sessions, users } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, Clock } from '../validation.ts';

const LIFETIME_MS = 12 * 3600_000;
const IDLE_MS = 3600_000;
const PREFIX = 'isess_';

export async function createSession(
  db: Db,
  options: { userId: string; secondFactorDone: boolean; clock: Clock },
): Promise<{ id: string; token: string }> {
  const now = options.clock();
  const token = newSecret(PREFIX);
  const id = randomUUID();
  await db.insert(sessions).values({
    id,
    tokenHash: secretHash(token),
    userId: options.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_MS),
    lastSeenAt: now,
    secondFactorAt: options.secondFactorDone ? now : null,
  });
  return { id, token };
}

export type ActiveSession = {
  id: string;
  userId: string;
  secondFactorDone: boolean;
};

/** The session a cookie names, if it is still valid (not revoked, expired or idle; user enabled). */
export async function resolveSession(
  db: Db,
  token: string,
  clock: Clock,
): Promise<ActiveSession | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  const now = clock();
  const [row] = await db
    .select({ session: sessions, disabledAt: users.disabledAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, secretHash(token)), isNull(sessions.revokedAt)));
  if (!row || row.disabledAt) return undefined;
  const s = row.session;
  if (s.expiresAt <= now || now.getTime() - s.lastSeenAt.getTime() > IDLE_MS) return undefined;
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000)
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, s.id));
  return { id: s.id, userId: s.userId, secondFactorDone: s.secondFactorAt !== null };
}

export async function markSecondFactor(db: Db, sessionId: string, clock: Clock) {
  await db.update(sessions).set({ secondFactorAt: clock() }).where(eq(sessions.id, sessionId));
}

/** Signs out: the session ends and the audit log says who ended it, in one transaction. */
export async function endSession(
  db: Db,
  options: { sessionId: string; actor: Actor; clock: Clock },
) {
  await db.transaction(async (tx) => {
    await tx
      .update(sessions)
      .set({ revokedAt: options.clock() })
      .where(eq(sessions.id, options.sessionId));
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'session.sign_out',
        entityType: 'session',
        entityId: options.sessionId,
      },
      options.clock,
    );
  });
}

/** The CSRF token of a session: a keyed hash of its secret cookie, sent back in X-CSRF-Token. */
export const csrfTokenFor = (sessionToken: string) =>
  createHmac('sha256', sessionToken).update('isoloir csrf v1').digest('base64url');
