// Signing in: a password, then a second factor (TOTP or a recovery code) for every account whose
// roles can see identifiers, export or send (SEC-2), and for any account that enrolled one.
// Every check of a secret first reserves an attempt (throttle.ts).
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { open } from '../../crypto/aead.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../crypto/passwords.ts';
import { secretHash } from '../../crypto/staff-secrets.ts';
import type { Db } from '../../db/open-db.ts';
import { memberships, recoveryCodes, sessions, users } from '../../db/schema/index.ts';
import type { AuditAction } from '../audit/catalogue.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError, ThrottledError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Clock } from '../validation.ts';
import { isRole, roleNeedsSecondFactor } from './permissions.ts';
import { createSession, markSecondFactor } from './sessions.ts';
import {
  clearAttempts,
  releaseAttempt,
  reserveAttempt,
  reserveUnknownAttempt,
} from './throttle.ts';
import { matchTotp } from './totp.ts';
import { passwordSchema } from './users.ts';

export type SecondFactorState = 'required' | 'enrolment_required' | 'not_required';

const credentialsSchema = z
  .object({ email: z.string().max(254), password: z.string().max(256) })
  .strict();

const BAD_CREDENTIALS = 'email or password is wrong';

/** Whether this account must pass a second factor: any role that sees identifiers, or admin. */
export async function needsSecondFactor(db: Db, userId: string): Promise<boolean> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) return true;
  if (user.isAdmin || user.totpConfirmedAt) return true;
  const roles = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  return roles.some((r) => isRole(r.role) && roleNeedsSecondFactor(r.role));
}

export const totpAad = (userId: string) => `isoloir:totp:${userId}`;

/** An event a person causes on their own account or session. */
export const ownEvent = (
  db: Db,
  userId: string,
  action: AuditAction,
  clock: Clock,
  entity: { type: string; id: string } = { type: 'user', id: userId },
  summary: Record<string, unknown> = {},
) =>
  recordAudit(
    db,
    { actor: `user:${userId}`, action, entityType: entity.type, entityId: entity.id, summary },
    clock,
  );

export async function signIn(
  db: Db,
  options: { input: unknown; clock: Clock; keys: KeyRing },
): Promise<{ sessionId: string; token: string; userId: string; secondFactor: SecondFactorState }> {
  const input = parseInput(credentialsSchema, options.input);
  const now = options.clock();
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, input.email.trim().toLowerCase()));
  if (!user || user.disabledAt) {
    // Answered exactly as an account would be: counted and locked alike, with a password check
    // (on a decoy) in every case, so neither the answer nor its time tells whether it exists.
    try {
      await reserveUnknownAttempt(
        db,
        options.keys.signInThrottleKey(),
        input.email.trim().toLowerCase(),
        now,
      );
    } finally {
      await verifyPassword(await decoyHash(), input.password);
    }
    throw DomainError.keyed('unauthenticated', 'session.bad_credentials', BAD_CREDENTIALS);
  }
  try {
    await reserveAttempt(db, user.id, now);
  } catch (error) {
    if (error instanceof ThrottledError) await verifyPassword(await decoyHash(), input.password);
    throw error;
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await ownEvent(db, user.id, 'session.sign_in_failed', options.clock);
    throw DomainError.keyed('unauthenticated', 'session.bad_credentials', BAD_CREDENTIALS);
  }
  const needed = await needsSecondFactor(db, user.id);
  // With a second factor due, the password alone does not clear the count: a guesser of codes
  // stays throttled across sessions.
  if (needed) await releaseAttempt(db, user.id);
  else await clearAttempts(db, user.id);
  // Never "done" at sign-in: if a role later comes to need the factor, it is asked for then.
  const session = await createSession(db, {
    userId: user.id,
    secondFactorDone: false,
    clock: options.clock,
  });
  await ownEvent(
    db,
    user.id,
    'session.sign_in',
    options.clock,
    { type: 'session', id: session.id },
    { secondFactor: needed ? 'pending' : 'not_required' },
  );
  const secondFactor: SecondFactorState = !needed
    ? 'not_required'
    : user.totpConfirmedAt
      ? 'required'
      : 'enrolment_required';
  return { sessionId: session.id, token: session.token, userId: user.id, secondFactor };
}

const codeSchema = z
  .object({
    code: z.string().max(20).optional(),
    recoveryCode: z.string().max(40).optional(),
  })
  .strict()
  .refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), {
    message: 'send either code (from the authenticator app) or recoveryCode',
  });

export const normaliseRecoveryCode = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

/**
 * Accepts a TOTP code once: the step is stored only if it is later than the last accepted one,
 * in one conditional statement, so two requests racing with the same code cannot both pass.
 */
export async function acceptTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(
      and(
        eq(users.id, userId),
        sql`(${users.totpLastStep} is null or ${users.totpLastStep} < ${step})`,
      ),
    )
    .returning({ id: users.id });
  return rows.length > 0;
}

/** Checks a TOTP code or a recovery code and completes the session's sign-in. */
export async function verifySecondFactor(
  db: Db,
  options: { keys: KeyRing; sessionId: string; userId: string; input: unknown; clock: Clock },
): Promise<void> {
  const input = parseInput(codeSchema, options.input);
  const now = options.clock();
  const [user] = await db.select().from(users).where(eq(users.id, options.userId));
  if (!user) throw DomainError.keyed('unauthenticated', 'session.ended', 'the session has ended');
  if (!user.totpConfirmedAt || !user.totpSecret)
    throw DomainError.keyed(
      'conflict',
      'totp.not_enrolled',
      'no second factor enrolled yet: enrol one first',
    );
  await reserveAttempt(db, user.id, now);
  let ok = false;
  if (input.code !== undefined) {
    const secret = open(options.keys.staffKey(), user.totpSecret, totpAad(user.id)).toString();
    const step = await matchTotp(secret, input.code.replace(/\s/g, ''), now);
    ok = step !== undefined && (await acceptTotpStep(db, user.id, step));
  } else {
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(recoveryCodes.userId, user.id),
          eq(recoveryCodes.codeHash, secretHash(normaliseRecoveryCode(input.recoveryCode!))),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ userId: recoveryCodes.userId });
    ok = used.length > 0;
  }
  if (!ok)
    throw DomainError.keyed(
      'unauthenticated',
      'totp.code_wrong_or_used',
      'the code is wrong or was already used',
    );
  await db.transaction(async (tx) => {
    await clearAttempts(tx, user.id);
    await markSecondFactor(tx, options.sessionId, options.clock);
    await ownEvent(
      tx,
      user.id,
      'session.second_factor',
      options.clock,
      { type: 'session', id: options.sessionId },
      { method: input.code !== undefined ? 'totp' : 'recovery_code' },
    );
  });
}

const passwordChangeSchema = z
  .object({ currentPassword: z.string().max(256), newPassword: passwordSchema })
  .strict();

/** Changes one's password; every other session of the account ends. */
export async function changePassword(
  db: Db,
  options: { userId: string; sessionId?: string; input: unknown; clock: Clock },
) {
  const input = parseInput(passwordChangeSchema, options.input);
  const now = options.clock();
  const [user] = await db.select().from(users).where(eq(users.id, options.userId));
  if (!user) throw DomainError.keyed('unauthenticated', 'session.ended', 'the session has ended');
  await reserveAttempt(db, user.id, now);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw DomainError.keyed(
      'unauthenticated',
      'session.current_password_wrong',
      'the current password is wrong',
    );
  if (input.newPassword === input.currentPassword)
    throw DomainError.keyed(
      'invalid',
      'session.password_unchanged',
      'newPassword: must differ from the current password',
    );
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangeRequired: false })
      .where(eq(users.id, user.id));
    await clearAttempts(tx, user.id);
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(
        and(
          eq(sessions.userId, user.id),
          isNull(sessions.revokedAt),
          options.sessionId ? ne(sessions.id, options.sessionId) : undefined,
        ),
      );
    await ownEvent(tx, user.id, 'user.change_password', options.clock);
  });
  return { changed: true };
}
