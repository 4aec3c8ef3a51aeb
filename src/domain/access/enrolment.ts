// Enrolling the TOTP second factor. The new secret is kept, sealed, on the session that asked for
// it, and moves to the account only when a code from it is confirmed, and only if the account has
// no confirmed factor yet: someone else holding the password cannot swap the secret of an
// enrolment in progress, nor replace a confirmed one.
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { open, seal } from '../../crypto/aead.ts';
import { secretHash } from '../../crypto/staff-secrets.ts';
import type { Db } from '../../db/open-db.ts';
import { recoveryCodes, sessions, users } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Clock } from '../validation.ts';
import { markSecondFactor } from './sessions.ts';
import { normaliseRecoveryCode, ownEvent, totpAad } from './sign-in.ts';
import { clearAttempts, reserveAttempt } from './throttle.ts';
import { matchTotp, newTotpSecret, totpUri } from './totp.ts';

const pendingAad = (sessionId: string) => `isoloir:totp-pending:${sessionId}`;

/** Starts enrolment: a new secret, shown once as an otpauth:// URI (the QR code's content). */
export async function startTotpEnrolment(
  db: Db,
  options: { keys: KeyRing; userId: string; sessionId: string },
): Promise<{ secret: string; uri: string }> {
  const [user] = await db.select().from(users).where(eq(users.id, options.userId));
  if (!user) throw DomainError.keyed('unauthenticated', 'session.ended', 'the session has ended');
  if (user.totpConfirmedAt)
    throw DomainError.keyed(
      'conflict',
      'totp.already_enrolled',
      'a second factor is already enrolled for this account',
    );
  const secret = newTotpSecret();
  await db
    .update(sessions)
    .set({
      pendingTotpSecret: seal(
        options.keys.staffKey(),
        Buffer.from(secret),
        pendingAad(options.sessionId),
      ),
    })
    .where(eq(sessions.id, options.sessionId));
  return { secret, uri: totpUri(secret, user.email) };
}

const RECOVERY_CODES = 10;

/** Confirms enrolment with a first code; returns ten single-use recovery codes, shown once. */
export async function confirmTotpEnrolment(
  db: Db,
  options: { keys: KeyRing; userId: string; sessionId: string; input: unknown; clock: Clock },
): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseInput(z.object({ code: z.string().max(20) }).strict(), options.input);
  const now = options.clock();
  const [session] = await db.select().from(sessions).where(eq(sessions.id, options.sessionId));
  if (!session?.pendingTotpSecret)
    throw DomainError.keyed(
      'conflict',
      'totp.not_started',
      'start the enrolment first (POST /api/session/totp)',
    );
  await reserveAttempt(db, options.userId, now);
  const secret = open(
    options.keys.staffKey(),
    session.pendingTotpSecret,
    pendingAad(session.id),
  ).toString();
  const step = await matchTotp(secret, code.replace(/\s/g, ''), now);
  if (step === undefined)
    throw DomainError.keyed(
      'unauthenticated',
      'totp.code_wrong',
      'the code is wrong: check the device clock and retry',
    );
  // 80 random bits each, written as four groups of five hexadecimal digits.
  const codes = Array.from({ length: RECOVERY_CODES }, () =>
    (randomBytes(10).toString('hex').match(/.{5}/g) ?? []).join('-'),
  );
  await db.transaction(async (tx) => {
    const enrolled = await tx
      .update(users)
      .set({
        totpSecret: seal(options.keys.staffKey(), Buffer.from(secret), totpAad(options.userId)),
        totpConfirmedAt: now,
        totpLastStep: step,
      })
      .where(and(eq(users.id, options.userId), isNull(users.totpConfirmedAt)))
      .returning({ id: users.id });
    if (enrolled.length === 0)
      throw DomainError.keyed(
        'conflict',
        'totp.already_enrolled',
        'a second factor is already enrolled for this account',
      );
    await clearAttempts(tx, options.userId);
    await tx.update(sessions).set({ pendingTotpSecret: null }).where(eq(sessions.id, session.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, options.userId));
    await tx.insert(recoveryCodes).values(
      codes.map((c) => ({
        userId: options.userId,
        codeHash: secretHash(normaliseRecoveryCode(c)),
      })),
    );
    await markSecondFactor(tx, session.id, options.clock);
    await ownEvent(tx, options.userId, 'user.enrol_second_factor', options.clock);
  });
  return { recoveryCodes: codes };
}
