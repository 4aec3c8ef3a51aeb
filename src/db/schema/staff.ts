// SEC-1, SEC-2: staff accounts, their role in each organisation, sign-in sessions and recovery
// codes. Passwords are argon2id hashes; the TOTP secret is sealed with a key derived from the
// master key; session tokens and recovery codes are stored as SHA-256 hashes only.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgIdColumn } from './references.ts';
import { bytea } from './types.ts';

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  /** Lower-cased sign-in address of a staff member (not a voter). */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  /** A password someone else chose or was shown (a generated first one): changed before any use. */
  passwordChangeRequired: boolean('password_change_required').notNull().default(false),
  /** Platform administrator: creates organisations and staff accounts. */
  isAdmin: boolean('is_admin').notNull().default(false),
  totpSecret: bytea('totp_secret'),
  totpConfirmedAt: timestamp('totp_confirmed_at', { withTimezone: true }),
  /** Last TOTP time step accepted: a code cannot be replayed. */
  totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orgId: orgIdColumn(),
    role: text('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    /** Who gave the current role (four eyes: a DPO appointed by a requester cannot approve). */
    appointedBy: text('appointed_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.orgId] }),
    index('memberships_org').on(t.orgId),
    check('memberships_role', sql`${t.role} in ('owner', 'dpo', 'manager', 'volunteer', 'viewer')`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    tokenHash: bytea('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** Set once the second factor was checked in this session. */
    secondFactorAt: timestamp('second_factor_at', { withTimezone: true }),
    /** A TOTP secret being enrolled in this session, sealed; it moves to the user on confirmation. */
    pendingTotpSecret: bytea('pending_totp_secret'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: bytea('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/**
 * SEC-2: failed sign-ins on an email without an account (or a disabled one), counted and locked
 * as an account's are. The email is held as an HMAC under a key derived from the master key.
 */
export const signInUnknownAttempts = pgTable(
  'sign_in_unknown_attempts',
  {
    emailHash: bytea('email_hash').primaryKey(),
    failures: integer('failures').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sign_in_unknown_attempts_last_failure_at_idx').on(t.lastFailureAt)],
);
