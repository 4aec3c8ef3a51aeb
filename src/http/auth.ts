// Who is calling: a program with `Authorization: Bearer <token>`, or the web app with the session
// cookie. Cookie calls that change something must echo the session's CSRF token in X-CSRF-Token
// (the cookie is also SameSite=Strict): another site cannot make a signed-in browser act.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  actorOf,
  principalFromSession,
  principalFromToken,
  type Principal,
} from '../domain/access/authorise.ts';
import { verifyApiToken } from '../domain/access/api-tokens.ts';
import { csrfTokenFor, resolveSession } from '../domain/access/sessions.ts';
import type { Role } from '../domain/access/permissions.ts';
import { DomainError } from '../domain/errors.ts';
import type { Services } from '../services.ts';

export const SESSION_COOKIE = 'isoloir_session';

export type AuthVariables = {
  principal: Principal | undefined;
  /** The session cookie's secret, for routes that derive from it (CSRF token). */
  sessionToken: string | undefined;
  actor: string;
  /** Set by permit() once the organisation a route touches is known and allowed. */
  orgId: string;
  role: Role | undefined;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authenticate(s: Services): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    c.set('principal', undefined);
    c.set('sessionToken', undefined);
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const token = match ? await verifyApiToken(s.db, match[1]!, s.clock()) : undefined;
      const principal = token ? await principalFromToken(s.db, token) : undefined;
      // A bad token is an error, not a fallback to anonymous: the program should know.
      if (!principal)
        throw unauthenticated(
          c,
          'the API token is unknown, expired or revoked',
          'auth.token_invalid',
        );
      c.set('principal', principal);
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      const session = cookie ? await resolveSession(s.db, cookie, s.clock) : undefined;
      const principal = session ? await principalFromSession(s.db, session) : undefined;
      if (principal && cookie) {
        if (!SAFE_METHODS.has(c.req.method)) {
          const sent = c.req.header('x-csrf-token') ?? '';
          if (!sameSecret(sent, csrfTokenFor(cookie)))
            throw DomainError.keyed(
              'forbidden',
              'auth.csrf_invalid',
              'missing or wrong X-CSRF-Token header: send the token GET /api/session returns',
            );
        }
        c.set('principal', principal);
        c.set('sessionToken', cookie);
      }
    }
    const p = c.var.principal;
    c.set('actor', p ? actorOf(p) : 'anonymous');
    await next();
  };
}

export function unauthenticated(c: Context, why: string, key = 'auth.sign_in_required') {
  c.header('WWW-Authenticate', 'Bearer realm="isoloir"');
  return DomainError.keyed('unauthenticated', key, why);
}
