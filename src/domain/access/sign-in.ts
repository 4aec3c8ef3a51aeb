// Signing in: a password, then a second factor (TOTP or a recovery code) for every account whose
// roles can see identifiers, export or send (SEC-2), and for any account that enrolled one.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { open, seal } from '../../crypto/aead.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../crypto/passwords.ts';
import { secretHash } from '../../crypto/staff-secrets.ts';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/open-db.ts';
import { memberships, recoveryCodes, users } from '../../db/schema/index.ts';
import type { AuditAction } from '../audit/catalogue.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Clock } from '../validation.ts';
import { isRole, roleNeedsSecondFactor } from './permissions.ts';
import { createSession, markSecondFactor } from './sessions.ts';
import { recordFailure, recordSuccess, refuseIfLocked } from './throttle.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';
import { passwordSchema } from './users.ts';

export type SecondFactorState = 'verified' | 'required' | 'enrolment_required' | 'not_required';

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

export async function signIn(
  db: Db,
  options: { input: unknown; clock: Clock },
): Promise<{ sessionId: string; token: string; userId: string; secondFactor: SecondFactorState }> {
  const input = parseInput(credentialsSchema, options.input);
  const now = options.clock();
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, input.email.trim().toLowerCase()));
  if (!user || user.disabledAt) {
    await verifyPassword(await decoyHash(), input.password); // same time as a real check
    throw new DomainError('unauthenticated', BAD_CREDENTIALS);
  }
  refuseIfLocked(user.lockedUntil, now);
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await recordFailure(db, user.id, now);
    await recordAudit(
      db,
      {
        actor: `user:${user.id}`,
        action: 'session.sign_in_failed',
        entityType: 'user',
        entityId: user.id,
      },
      options.clock,
    );
    throw new DomainError('unauthenticated', BAD_CREDENTIALS);
  }
  const needed = await needsSecondFactor(db, user.id);
  // The password alone does not reset the count: a second-factor guesser stays throttled.
  if (!needed) await recordSuccess(db, user.id);
  // Not "done" even when not needed now: if the role later comes to need it, it is asked then.
  const session = await createSession(db, {
    userId: user.id,
    secondFactorDone: false,
    clock: options.clock,
  });
  await recordAudit(
    db,
    {
      actor: `user:${user.id}`,
      action: 'session.sign_in',
      entityType: 'session',
      entityId: session.id,
      summary: { secondFactor: needed ? 'pending' : 'not_required' },
    },
    options.clock,
  );
  const secondFactor: SecondFactorState = !needed
    ? 'not_required'
    : user.totpConfirmedAt
      ? 'required'
      : 'enrolment_required';
  return { sessionId: session.id, token: session.token, userId: user.id, secondFactor };
}

/** The account, refused while throttled. */
async function unlockedUser(db: Db, userId: string, now: Date) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new DomainError('unauthenticated', 'the session has ended');
  refuseIfLocked(user.lockedUntil, now);
  return user;
}

/** An event a person causes on their own account (second factor, password). */
const ownEvent = (db: Db, userId: string, action: AuditAction, clock: Clock) =>
  recordAudit(db, { actor: `user:${userId}`, action, entityType: 'user', entityId: userId }, clock);

const codeSchema = z
  .object({
    code: z.string().max(20).optional(),
    recoveryCode: z.string().max(40).optional(),
  })
  .strict()
  .refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), {
    message: 'send either code (from the authenticator app) or recoveryCode',
  });

const totpAad = (userId: string) => `isoloir:totp:${userId}`;

/** Checks a TOTP code or a recovery code and completes the session's sign-in. */
export async function verifySecondFactor(
  db: Db,
  options: { keys: KeyRing; sessionId: string; userId: string; input: unknown; clock: Clock },
): Promise<void> {
  const input = parseInput(codeSchema, options.input);
  const now = options.clock();
  const user = await unlockedUser(db, options.userId, now);
  if (!user.totpConfirmedAt || !user.totpSecret)
    throw new DomainError('conflict', 'no second factor enrolled yet: enrol one first');
  let ok = false;
  if (input.code !== undefined) {
    const secret = open(options.keys.staffKey(), user.totpSecret, totpAad(user.id)).toString();
    const step = await matchTotp(secret, input.code.replace(/\s/g, ''), now);
    // A code is good once: a step at or before the last accepted one is a replay.
    if (step !== undefined && (user.totpLastStep === null || step > user.totpLastStep)) {
      await db.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
      ok = true;
    }
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
  if (!ok) {
    await recordFailure(db, user.id, now);
    throw new DomainError('unauthenticated', 'the code is wrong or was already used');
  }
  await recordSuccess(db, user.id);
  await markSecondFactor(db, options.sessionId, options.clock);
  await recordAudit(
    db,
    {
      actor: `user:${user.id}`,
      action: 'session.second_factor',
      entityType: 'session',
      entityId: options.sessionId,
      summary: { method: input.code !== undefined ? 'totp' : 'recovery_code' },
    },
    options.clock,
  );
}

/** Starts TOTP enrolment: a new secret, shown once as an otpauth:// URI (the QR code's content). */
export async function startTotpEnrolment(
  db: Db,
  options: { keys: KeyRing; userId: string },
): Promise<{ secret: string; uri: string }> {
  const [user] = await db.select().from(users).where(eq(users.id, options.userId));
  if (!user) throw new DomainError('not_found', 'staff account not found');
  if (user.totpConfirmedAt)
    throw new DomainError('conflict', 'a second factor is already enrolled for this account');
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ totpSecret: seal(options.keys.staffKey(), Buffer.from(secret), totpAad(user.id)) })
    .where(eq(users.id, user.id));
  return { secret, uri: totpUri(secret, user.email) };
}

const RECOVERY_CODES = 10;
const normaliseRecoveryCode = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

/** Confirms enrolment with a first code; returns ten single-use recovery codes, shown once. */
export async function confirmTotpEnrolment(
  db: Db,
  options: { keys: KeyRing; userId: string; sessionId?: string; input: unknown; clock: Clock },
): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseInput(z.object({ code: z.string().max(20) }).strict(), options.input);
  const now = options.clock();
  const user = await unlockedUser(db, options.userId, now);
  if (user.totpConfirmedAt)
    throw new DomainError('conflict', 'the second factor is already enrolled');
  if (!user.totpSecret) throw new DomainError('conflict', 'start the enrolment first');
  const secret = open(options.keys.staffKey(), user.totpSecret, totpAad(user.id)).toString();
  const step = await matchTotp(secret, code.replace(/\s/g, ''), now);
  if (step === undefined) {
    await recordFailure(db, user.id, now);
    throw new DomainError('unauthenticated', 'the code is wrong: check the device clock and retry');
  }
  // 80 random bits each, written as four groups of five hexadecimal digits.
  const codes = Array.from({ length: RECOVERY_CODES }, () =>
    (randomBytes(10).toString('hex').match(/.{5}/g) ?? []).join('-'),
  );
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpConfirmedAt: now, totpLastStep: step, failedAttempts: 0, lockedUntil: null })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx
      .insert(recoveryCodes)
      .values(
        codes.map((c) => ({ userId: user.id, codeHash: secretHash(normaliseRecoveryCode(c)) })),
      );
    if (options.sessionId) await markSecondFactor(tx, options.sessionId, options.clock);
    await ownEvent(tx, user.id, 'user.enrol_second_factor', options.clock);
  });
  return { recoveryCodes: codes };
}

const passwordChangeSchema = z
  .object({ currentPassword: z.string().max(256), newPassword: passwordSchema })
  .strict();

export async function changePassword(
  db: Db,
  options: { userId: string; input: unknown; clock: Clock },
) {
  const input = parseInput(passwordChangeSchema, options.input);
  const now = options.clock();
  const user = await unlockedUser(db, options.userId, now);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordFailure(db, user.id, now);
    throw new DomainError('unauthenticated', 'the current password is wrong');
  }
  if (input.newPassword === input.currentPassword)
    throw new DomainError('invalid', 'newPassword: must differ from the current password');
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(input.newPassword) })
      .where(eq(users.id, user.id));
    await ownEvent(tx, user.id, 'user.change_password', options.clock);
  });
  return { changed: true };
}
