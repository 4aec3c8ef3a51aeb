// Signing in for the web app: password, then the second factor (or its enrolment), in a session
// cookie that scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict).
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { getUser } from '../../domain/access/users.ts';
import { ROLE_PERMISSIONS } from '../../domain/access/permissions.ts';
import { csrfTokenFor, endSession } from '../../domain/access/sessions.ts';
import { requireSecondFactorDone } from '../../domain/access/authorise.ts';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../domain/access/enrolment.ts';
import { changePassword, signIn, verifySecondFactor } from '../../domain/access/sign-in.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Services } from '../../services.ts';
import { SESSION_COOKIE, type AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { permit } from '../permit.ts';
import { SignInLimiter } from '../sign-in-limiter.ts';

type C = Context<{ Variables: AuthVariables }>;

/** The peer's socket address (not X-Forwarded-For, which any client can write). */
export function clientAddress(c: C): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'in-process';
}

export function setSessionCookie(c: C, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    // Behind a TLS-terminating proxy the request arrives over http: trust its header for this flag
    // only (a spoofed header can merely make the cookie stricter).
    secure:
      new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
    path: '/',
    maxAge: 12 * 3600,
  });
}

async function describeSession(s: Services, c: C) {
  const p = c.var.principal!;
  const user = await getUser(s.db, { userId: p.userId });
  return {
    user,
    // What the web app may offer in each organisation (the server still checks every call).
    permissions: Object.fromEntries(
      user.memberships.map((m) => [m.orgId, ROLE_PERMISSIONS[m.role]]),
    ) as Record<string, readonly string[]>,
    secondFactor: !p.pendingSecondFactor
      ? 'done'
      : user.secondFactor
        ? 'required'
        : 'enrolment_required',
    passwordChangeRequired: p.pendingPasswordChange,
    csrfToken: c.var.sessionToken ? csrfTokenFor(c.var.sessionToken) : null,
  };
}

export function sessionRoutes(s: Services) {
  const limiter = new SignInLimiter(s.clock);
  /** Every check of a secret counts against the client's address too. */
  async function limited<T>(c: C, check: () => Promise<T>): Promise<T> {
    const client = clientAddress(c);
    limiter.check(client);
    try {
      return await check();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'unauthenticated') limiter.fail(client);
      throw error;
    }
  }
  return new Hono<{ Variables: AuthVariables }>()
    .post('/session', permit(s, 'public'), async (c) => {
      const result = await limited(c, () =>
        jsonBody(c).then((input) => signIn(s.db, { input, clock: s.clock, keys: s.keys })),
      );
      setSessionCookie(c, result.token);
      return c.json({
        user: await getUser(s.db, { userId: result.userId }),
        secondFactor: result.secondFactor,
        csrfToken: csrfTokenFor(result.token),
      });
    })
    .get('/session', permit(s, 'session'), async (c) => c.json(await describeSession(s, c)))
    .delete('/session', permit(s, 'session'), async (c) => {
      const p = c.var.principal!;
      if (p.sessionId) {
        await endSession(s.db, { sessionId: p.sessionId, actor: c.var.actor, clock: s.clock });
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ signedOut: true });
    })
    .post('/session/second-factor', permit(s, 'session'), async (c) => {
      const p = c.var.principal!;
      const input = await jsonBody(c);
      await limited(c, () =>
        verifySecondFactor(s.db, {
          keys: s.keys,
          sessionId: p.sessionId!,
          userId: p.userId,
          input,
          clock: s.clock,
        }),
      );
      return c.json({ secondFactor: 'done' });
    })
    .post('/session/totp', permit(s, 'session'), async (c) =>
      c.json(
        await startTotpEnrolment(s.db, {
          keys: s.keys,
          userId: c.var.principal!.userId,
          sessionId: c.var.principal!.sessionId!,
        }),
      ),
    )
    .post('/session/totp/confirm', permit(s, 'session'), async (c) => {
      const input = await jsonBody(c);
      return c.json(
        await limited(c, () =>
          confirmTotpEnrolment(s.db, {
            keys: s.keys,
            userId: c.var.principal!.userId,
            sessionId: c.var.principal!.sessionId!,
            input,
            clock: s.clock,
          }),
        ),
      );
    })
    .post('/session/password', permit(s, 'session'), async (c) => {
      requireSecondFactorDone(c.var.principal!);
      const input = await jsonBody(c);
      return c.json(
        await limited(c, () =>
          changePassword(s.db, {
            userId: c.var.principal!.userId,
            sessionId: c.var.principal!.sessionId,
            input,
            clock: s.clock,
          }),
        ),
      );
    });
}
