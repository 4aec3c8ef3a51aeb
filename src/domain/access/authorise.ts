// SEC-1: the one decision "may this person do this, here?". A route names the permission it needs
// and the organisation it touches; the answer comes from the person's role in that organisation,
// narrowed by a token's scopes, and refused until the second factor is passed where it is needed.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { memberships, users } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../validation.ts';
import {
  isAdminPermission,
  isRole,
  roleAllows,
  type AnyPermission,
  type Permission,
  type Role,
} from './permissions.ts';
import { needsSecondFactor } from './sign-in.ts';
import type { VerifiedToken } from './api-tokens.ts';
import type { ActiveSession } from './sessions.ts';

export type Principal = {
  userId: string;
  isAdmin: boolean;
  via: 'session' | 'token';
  sessionId?: string;
  token?: VerifiedToken;
  /** A session whose second factor is still due: it may only finish signing in. */
  pendingSecondFactor: boolean;
  /**
   * A session signed in with a password someone else chose or saw (a generated first one): it may
   * only change it (and finish its second factor). Tokens are made by the person or the operator.
   */
  pendingPasswordChange: boolean;
};

export const actorOf = (p: Principal): Actor =>
  p.token ? `user:${p.userId}/token:${p.token.id}` : `user:${p.userId}`;

export async function principalFromToken(
  db: Db,
  token: VerifiedToken,
): Promise<Principal | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, token.userId));
  if (!user || user.disabledAt) return undefined;
  return {
    userId: user.id,
    isAdmin: user.isAdmin,
    via: 'token',
    token,
    pendingSecondFactor: false,
    pendingPasswordChange: false,
  };
}

export async function principalFromSession(
  db: Db,
  session: ActiveSession,
): Promise<Principal | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, session.userId));
  if (!user || user.disabledAt) return undefined;
  // Re-evaluated at every request: a role that starts to need the factor asks for it at once.
  const pending = !session.secondFactorDone && (await needsSecondFactor(db, user.id));
  return {
    userId: user.id,
    isAdmin: user.isAdmin,
    via: 'session',
    sessionId: session.id,
    pendingSecondFactor: pending,
    pendingPasswordChange: user.passwordChangeRequired,
  };
}

const secondFactorDue = () =>
  DomainError.keyed(
    'unauthenticated',
    'auth.second_factor_required',
    'second factor required: finish signing in with your authenticator code (SEC-2)',
    {},
    'SEC-2',
  );

/** A session past its second factor (it may still have to change its first password). */
export function requireSecondFactorDone(p: Principal) {
  if (p.pendingSecondFactor) throw secondFactorDue();
}

/** Any signed-in person who has passed the second factor and changed a handed-over password. */
export function requireSignedIn(p: Principal) {
  requireSecondFactorDone(p);
  if (p.pendingPasswordChange)
    throw DomainError.keyed(
      'forbidden',
      'auth.password_change_required',
      'change the first password you were given before anything else: POST /api/session/password (SEC-2)',
      {},
      'SEC-2',
    );
}

export async function roleIn(db: Db, userId: string, orgId: string): Promise<Role | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)));
  return row && isRole(row.role) ? row.role : undefined;
}

/**
 * Allows or throws. Outside their organisations a person gets "not found", so that the
 * existence of another organisation's data does not leak; inside, a missing permission is
 * "forbidden" with SEC-1.
 */
export async function authorise(
  db: Db,
  p: Principal,
  permission: AnyPermission,
  orgId?: string,
): Promise<{ role?: Role }> {
  requireSignedIn(p);
  if (p.token && !p.token.scopes.includes(permission))
    throw DomainError.keyed(
      'forbidden',
      'auth.scope_missing',
      `this token's scopes do not include ${permission}`,
      { permission },
      'SEC-1',
    );
  if (isAdminPermission(permission)) {
    if (!p.isAdmin)
      throw DomainError.keyed(
        'forbidden',
        'auth.admin_only',
        `only an administrator may do this (${permission})`,
        { permission },
        'SEC-1',
      );
    return {};
  }
  if (!orgId) throw new Error(`permission ${permission} needs an organisation`);
  if (p.token?.orgId && p.token.orgId !== orgId) throw notFound();
  const role = await roleIn(db, p.userId, orgId);
  if (!role) throw notFound();
  if (!roleAllows(role, permission as Permission))
    throw DomainError.keyed(
      'forbidden',
      'auth.role_forbidden',
      `the ${role} role may not do this (${permission})`,
      { role, permission },
      'SEC-1',
    );
  return { role };
}

/**
 * Whether a preview shows identifiers (SEC-1): only when asked, and then only for a role that may
 * see them and a token whose scopes include it; otherwise refused, never silently left out.
 */
export function identifiersAllowed(p: Principal, role: Role | undefined, asked: boolean): boolean {
  if (!asked) return false;
  if (!role || !roleAllows(role, 'segment.preview_identifiers'))
    throw DomainError.keyed(
      'forbidden',
      'segment.identifiers_role_forbidden',
      `the ${role ?? 'current'} role may not see identifiers in a preview (segment.preview_identifiers)`,
      { role: role ?? 'current' },
      'SEC-1',
    );
  if (p.token && !p.token.scopes.includes('segment.preview_identifiers'))
    throw DomainError.keyed(
      'forbidden',
      'segment.identifiers_scope_missing',
      "this token's scopes do not include segment.preview_identifiers",
      {},
      'SEC-1',
    );
  return true;
}

export const notFound = () =>
  DomainError.keyed(
    'not_found',
    'access.not_found',
    'not found (or not in an organisation you belong to)',
  );
