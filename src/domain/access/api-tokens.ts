// API tokens for programs. Only a SHA-256 hash is stored; the token is shown once, at creation.
// A token acts for one staff user, in one organisation (or in each of theirs when none is named),
// with the permissions listed at creation; the user's current role still caps them at each use,
// and disabling the user or revoking the token stops it at once.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { newSecret, secretHash } from '../../crypto/staff-secrets.ts';
import type { Db } from '../../db/open-db.ts';
import { apiTokens, memberships, users } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { parseId, parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import {
  ADMIN_PERMISSIONS,
  isAdminPermission,
  isPermission,
  isRole,
  ROLE_PERMISSIONS,
  type AnyPermission,
} from './permissions.ts';

const PREFIX = 'iso_';

const createSchema = z
  .object({
    label: plainText(120),
    orgId: z.uuid('must be a UUID').nullable().optional(),
    scopes: z.array(z.string()).min(1, 'name at least one permission'),
    expiresInDays: z.number().int().min(1).max(366).optional(),
  })
  .strict();

export type ApiTokenInfo = {
  id: string;
  label: string;
  userId: string;
  orgId: string | null;
  scopes: string[];
  expiresAt: string | null;
  createdAt: string;
  revoked: boolean;
};

/**
 * Creates a token for a user. Its scopes must be permissions that user holds now (in the named
 * organisation, or in one of theirs), so a token can narrow access but never widen it.
 */
export async function createApiToken(
  db: Db,
  options: {
    userId: string;
    input: unknown;
    actor: Actor;
    /** When a token makes a token: the new one stays within it (scopes, organisation, expiry). */
    madeBy?: VerifiedToken;
    clock?: Clock;
  },
): Promise<ApiTokenInfo & { token: string }> {
  const input = parseInput(createSchema, options.input);
  const now = (options.clock ?? (() => new Date()))();
  const [user] = await db.select().from(users).where(eq(users.id, options.userId));
  if (!user || user.disabledAt)
    throw DomainError.keyed(
      'not_found',
      'token.user_not_found',
      'no active staff account with this id',
    );
  const roles = await db
    .select({ orgId: memberships.orgId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, user.id));
  const inScope = input.orgId ? roles.filter((r) => r.orgId === input.orgId) : roles;
  if (input.orgId && inScope.length === 0)
    throw DomainError.keyed(
      'forbidden',
      'token.not_member',
      'this staff member does not belong to that organisation',
      {},
      'SEC-1',
    );
  const held = new Set<string>(
    inScope.flatMap((r) => (isRole(r.role) ? ROLE_PERMISSIONS[r.role] : [])),
  );
  if (user.isAdmin) for (const p of ADMIN_PERMISSIONS) held.add(p);
  const unknown = input.scopes.filter((s) => !isPermission(s) && !isAdminPermission(s));
  if (unknown.length)
    throw DomainError.keyed(
      'invalid',
      'token.unknown_scopes',
      `scopes: unknown permission ${unknown.join(', ')}`,
      { scopes: unknown.join(', ') },
    );
  if (input.orgId && input.scopes.some(isAdminPermission))
    throw DomainError.keyed(
      'invalid',
      'token.admin_scopes_with_org',
      'scopes: administrator permissions go on a token without an organisation',
    );
  const parent = options.madeBy;
  if (parent) {
    for (const p of [...held]) if (!parent.scopes.includes(p as AnyPermission)) held.delete(p);
    if (parent.orgId && parent.orgId !== input.orgId)
      throw DomainError.keyed(
        'forbidden',
        'token.org_bound',
        "a token's tokens act in its organisation only",
        {},
        'SEC-1',
      );
  }
  const beyond = input.scopes.filter((s) => !held.has(s));
  if (beyond.length)
    throw DomainError.keyed(
      'forbidden',
      'token.scopes_beyond',
      `scopes: ${beyond.join(', ')} is beyond what this staff member may do`,
      { scopes: beyond.join(', ') },
      'SEC-1',
    );
  const token = newSecret(PREFIX);
  const id = randomUUID();
  const scopes = [...new Set(input.scopes)].sort();
  const expiresAt = input.expiresInDays
    ? new Date(now.getTime() + input.expiresInDays * 86_400_000)
    : null;
  if (parent?.expiresAt && (!expiresAt || expiresAt > parent.expiresAt))
    throw DomainError.keyed(
      'invalid',
      'token.expires_after_parent',
      `expiresInDays: a token's tokens expire no later than it does (${parent.expiresAt.toISOString()})`,
      { expiresAt: parent.expiresAt.toISOString() },
    );
  await db.transaction(async (tx) => {
    await tx.insert(apiTokens).values({
      id,
      tokenHash: secretHash(token),
      label: input.label,
      userId: user.id,
      orgId: input.orgId ?? null,
      scopes,
      expiresAt,
      createdAt: now,
      createdBy: options.actor,
    });
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'token.create',
        orgId: input.orgId ?? null,
        entityType: 'token',
        entityId: id,
        summary: { user: user.id, scopes },
      },
      options.clock,
    );
  });
  return {
    id,
    token,
    label: input.label,
    userId: user.id,
    orgId: input.orgId ?? null,
    scopes,
    expiresAt: expiresAt?.toISOString() ?? null,
    createdAt: now.toISOString(),
    revoked: false,
  };
}

export type VerifiedToken = {
  id: string;
  userId: string;
  orgId: string | null;
  scopes: AnyPermission[];
  expiresAt: Date | null;
};

export async function verifyApiToken(
  db: Db,
  token: string,
  now: Date = new Date(),
): Promise<VerifiedToken | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  // Looking up by hash is constant-time with respect to the secret: the hash is what is compared.
  const [row] = await db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      orgId: apiTokens.orgId,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, secretHash(token)),
        isNull(apiTokens.revokedAt),
        isNull(users.disabledAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    );
  if (!row || !row.userId) return undefined;
  return {
    id: row.id,
    userId: row.userId,
    orgId: row.orgId,
    scopes: row.scopes.filter((s): s is AnyPermission => isPermission(s) || isAdminPermission(s)),
    expiresAt: row.expiresAt,
  };
}

function describe(row: typeof apiTokens.$inferSelect): ApiTokenInfo {
  return {
    id: row.id,
    label: row.label,
    userId: row.userId ?? '',
    orgId: row.orgId,
    scopes: row.scopes,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    revoked: row.revokedAt !== null,
  };
}

export async function listApiTokens(db: Db, options: { userId?: string }): Promise<ApiTokenInfo[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(options.userId ? eq(apiTokens.userId, options.userId) : undefined)
    .orderBy(asc(apiTokens.createdAt));
  return rows.filter((r) => r.userId).map(describe);
}

export async function getApiToken(db: Db, options: { tokenId: string }): Promise<ApiTokenInfo> {
  const id = parseId('token', options.tokenId);
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  if (!row || !row.userId)
    throw DomainError.keyed('not_found', 'token.not_found', `token ${id} does not exist`, { id });
  return describe(row);
}

export async function revokeApiToken(
  db: Db,
  options: { tokenId: string; actor: Actor; clock?: Clock },
): Promise<ApiTokenInfo> {
  const id = parseId('token', options.tokenId);
  const now = (options.clock ?? (() => new Date()))();
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning();
    const row = rows[0];
    if (!row) {
      await getApiToken(tx, { tokenId: id }); // not found, or:
      throw DomainError.keyed(
        'conflict',
        'token.already_revoked',
        `token ${id} is already revoked`,
        { id },
      );
    }
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'token.revoke',
        orgId: row.orgId,
        entityType: 'token',
        entityId: id,
      },
      options.clock,
    );
    return describe(row);
  });
}
