// Staff accounts and their role in each organisation (SEC-1). The first administrator is made
// once, from the machine (`isoloir user create --admin`); after that, owners add their staff.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { hashPassword } from '../../crypto/passwords.ts';
import type { Db } from '../../db/open-db.ts';
import {
  apiTokens,
  memberships,
  organisations,
  recoveryCodes,
  sessions,
  users,
} from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { parseId, parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import { ROLES, type Role } from './permissions.ts';

export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters');

const emailSchema = z
  .email('must be an email address')
  .max(254)
  .transform((e) => e.toLowerCase());

const createSchema = z
  .object({
    email: emailSchema,
    displayName: plainText(120),
    password: passwordSchema.optional(),
    admin: z.boolean().optional(),
    orgId: z.uuid('orgId: must be a UUID').optional(),
    role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).optional(),
  })
  .strict()
  .refine((v) => (v.orgId === undefined) === (v.role === undefined), {
    message: 'orgId and role go together',
  })
  .refine((v) => v.admin || v.orgId, {
    message: 'a staff account needs an organisation and a role (or is the first administrator)',
  });

export type StaffUser = {
  id: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  secondFactor: boolean;
  disabled: boolean;
  memberships: { orgId: string; role: Role }[];
};

/** A password to hand over once; the person changes it at first sign-in. */
const initialPassword = () => randomBytes(18).toString('base64url');

/**
 * Creates a staff account, or adds an existing one to another organisation. Without a password,
 * one is generated and returned once (it is never stored in clear).
 */
export async function createUser(
  db: Db,
  options: { input: unknown; actor: Actor; clock?: Clock },
): Promise<{ user: StaffUser; initialPassword?: string }> {
  const input = parseInput(createSchema, options.input);
  const generated = input.password ? undefined : initialPassword();
  const passwordHash = await hashPassword(input.password ?? generated!);
  return db.transaction(async (tx) => {
    // One first administrator, once: two setups racing on one database take turns here.
    await tx.execute(sql`select pg_advisory_xact_lock(7271130004)`);
    if (input.admin) {
      const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.isAdmin, true));
      if (admin)
        throw DomainError.keyed(
          'conflict',
          'user.admin_exists',
          'an administrator already exists: the first-admin setup is one-time; owners add staff to their organisation',
        );
    }
    if (input.orgId) {
      const [org] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.id, input.orgId));
      if (!org)
        throw DomainError.keyed(
          'not_found',
          'organisation.not_found',
          `organisation ${input.orgId} does not exist`,
          { id: input.orgId },
        );
    }
    const [existing] = await tx.select().from(users).where(eq(users.email, input.email));
    let id: string;
    if (existing) {
      if (input.admin || !input.orgId)
        throw DomainError.keyed(
          'conflict',
          'user.email_taken',
          'a staff account with this email already exists',
        );
      id = existing.id;
    } else {
      id = randomUUID();
      await tx.insert(users).values({
        id,
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        // A generated password was shown to whoever made the account: it must be changed first.
        passwordChangeRequired: generated !== undefined,
        isAdmin: input.admin ?? false,
        createdBy: options.actor,
      });
    }
    if (input.orgId && input.role) {
      const added = await tx
        .insert(memberships)
        .values({
          userId: id,
          orgId: input.orgId,
          role: input.role,
          createdBy: options.actor,
          appointedBy: options.actor,
        })
        .onConflictDoNothing()
        .returning({ userId: memberships.userId });
      if (added.length === 0)
        throw DomainError.keyed(
          'conflict',
          'user.already_member',
          'this staff member already belongs to the organisation',
        );
    }
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'user.create',
        orgId: input.orgId ?? null,
        entityType: 'user',
        entityId: id,
        summary: { role: input.role ?? null, admin: input.admin ?? false, existing: !!existing },
      },
      options.clock,
    );
    const user = await getUser(tx, { userId: id });
    return {
      user,
      ...(generated && !existing ? { initialPassword: generated } : {}),
    };
  });
}

export async function getUser(db: Db, options: { userId: string }): Promise<StaffUser> {
  const id = parseInput(z.uuid({ message: 'user id must be a UUID' }), options.userId);
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row)
    throw DomainError.keyed('not_found', 'user.not_found', `staff account ${id} does not exist`, {
      id,
    });
  const roles = await db
    .select({ orgId: memberships.orgId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, id))
    .orderBy(asc(memberships.orgId));
  return describe(row, roles as { orgId: string; role: Role }[]);
}

function describe(
  row: typeof users.$inferSelect,
  roles: { orgId: string; role: Role }[],
): StaffUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    isAdmin: row.isAdmin,
    secondFactor: row.totpConfirmedAt !== null,
    disabled: row.disabledAt !== null,
    memberships: roles,
  };
}

/** The staff of one organisation with their role there, or every account (administrators). */
export async function listUsers(
  db: Db,
  options: { orgId?: string },
): Promise<(StaffUser & { role?: Role })[]> {
  const rows = await db.select().from(users).orderBy(asc(users.email));
  const roles = await db.select().from(memberships);
  const byUser = new Map<string, { orgId: string; role: Role }[]>();
  for (const m of roles) {
    const list = byUser.get(m.userId) ?? [];
    list.push({ orgId: m.orgId, role: m.role as Role });
    byUser.set(m.userId, list);
  }
  const all = rows.map((r) => describe(r, byUser.get(r.id) ?? []));
  if (!options.orgId) return all;
  // Inside an organisation, a list shows that organisation's role only, not others'.
  return all.flatMap((u) => {
    const m = u.memberships.find((x) => x.orgId === options.orgId);
    return m ? [{ ...u, memberships: [m], role: m.role }] : [];
  });
}

export async function findUserIdByEmail(db: Db, email: string): Promise<string> {
  const normalised = parseInput(emailSchema, email);
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, normalised));
  if (!row)
    throw DomainError.keyed('not_found', 'user.email_unknown', 'no staff account has this email');
  return row.id;
}

const roleSchema = z
  .object({ role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }) })
  .strict();

export async function setRole(
  db: Db,
  options: {
    orgId: string;
    userId: string;
    input: unknown;
    actor: Actor;
    /** The staff member making the change, when it is one (not the CLI). */
    byUserId?: string;
    clock?: Clock;
  },
) {
  const { role } = parseInput(roleSchema, options.input);
  parseId('user', options.userId);
  // Nobody changes their own role: an owner cannot make themselves the DPO who approves exports.
  if (options.byUserId === options.userId)
    throw DomainError.keyed(
      'forbidden',
      'user.own_role',
      'nobody may change their own role',
      {},
      'SEC-1',
    );
  return db.transaction(async (tx) => {
    const before = await membershipOf(tx, options);
    if (before.role === 'owner' && role !== 'owner') await keepAnOwner(tx, options.orgId);
    await tx
      .update(memberships)
      .set({ role, appointedBy: options.actor })
      .where(memberWhere(options));
    // A token keeps its scopes, but the role caps them at every request: nothing to revoke.
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'user.set_role',
        orgId: options.orgId,
        entityType: 'user',
        entityId: options.userId,
        summary: { from: before.role, to: role },
      },
      options.clock,
    );
    return { userId: options.userId, orgId: options.orgId, role };
  });
}

export async function removeMember(
  db: Db,
  options: { orgId: string; userId: string; actor: Actor; clock?: Clock },
) {
  parseId('user', options.userId);
  return db.transaction(async (tx) => {
    const before = await membershipOf(tx, options);
    if (before.role === 'owner') await keepAnOwner(tx, options.orgId);
    await tx.delete(memberships).where(memberWhere(options));
    await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(apiTokens.userId, options.userId),
          eq(apiTokens.orgId, options.orgId),
          isNull(apiTokens.revokedAt),
        ),
      );
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'user.remove',
        orgId: options.orgId,
        entityType: 'user',
        entityId: options.userId,
        summary: { role: before.role },
      },
      options.clock,
    );
    return { removed: true };
  });
}

const memberWhere = (m: { orgId: string; userId: string }) =>
  and(eq(memberships.orgId, m.orgId), eq(memberships.userId, m.userId));

async function membershipOf(tx: Db, m: { orgId: string; userId: string }) {
  const [row] = await tx.select().from(memberships).where(memberWhere(m));
  if (!row)
    throw DomainError.keyed(
      'not_found',
      'user.not_member',
      'this staff member does not belong to the organisation',
    );
  return row;
}

async function keepAnOwner(tx: Db, orgId: string) {
  // Locked, so that two owners demoting each other at once cannot both pass.
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')))
    .for('update');
  if (owners.length <= 1)
    throw DomainError.keyed(
      'conflict',
      'user.last_owner',
      'the organisation would be left without an owner',
    );
}

/** Disables an account everywhere: its sessions end and its tokens are revoked at once. */
/** Ends every session and revokes every token of an account, at once. */
async function endAllAccess(tx: Db, userId: string, now: Date) {
  await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  await tx
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

export async function disableUser(
  db: Db,
  options: { userId: string; actor: Actor; clock?: Clock },
) {
  const now = (options.clock ?? (() => new Date()))();
  return db.transaction(async (tx) => {
    const user = await getUser(tx, options);
    if (user.disabled)
      throw DomainError.keyed(
        'conflict',
        'user.already_disabled',
        'this staff account is already disabled',
      );
    await tx.update(users).set({ disabledAt: now }).where(eq(users.id, user.id));
    await endAllAccess(tx, user.id, now);
    await recordAudit(
      tx,
      { actor: options.actor, action: 'user.disable', entityType: 'user', entityId: user.id },
      options.clock,
    );
    return { ...user, disabled: true };
  });
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
}

/**
 * For a person who lost both their authenticator and their recovery codes: clears the factor (they
 * enrol a new one at next sign-in), ends their sessions and revokes their tokens. Done by the
 * operator from the machine, after checking who is asking.
 */
export async function resetSecondFactor(
  db: Db,
  options: { userId: string; actor: Actor; clock?: Clock },
) {
  const now = (options.clock ?? (() => new Date()))();
  return db.transaction(async (tx) => {
    const user = await getUser(tx, options);
    await tx
      .update(users)
      .set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await endAllAccess(tx, user.id, now);
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'user.reset_second_factor',
        entityType: 'user',
        entityId: user.id,
      },
      options.clock,
    );
    return { ...user, secondFactor: false };
  });
}
