// First run from the web app: while no staff account exists, one form creates the organisation
// and its first owner (who is also the installation's administrator), in one transaction, so that
// a failure leaves nothing half made and a second setup, even racing, finds the account and stops.
// Nobody copies a token from a log; the second factor is enrolled right after, in the session.
import { count } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { users } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { createOrganisation, type Organisation } from '../organisations/organisations.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Clock } from '../validation.ts';
import { createUser, hasAnyUser, passwordSchema, type StaffUser } from './users.ts';

const setupSchema = z
  .object({
    organisation: z.record(z.string(), z.unknown()),
    owner: z
      .object({
        email: z.string(),
        displayName: z.string(),
        password: passwordSchema,
      })
      .strict(),
  })
  .strict();

/** True while the installation has no staff account at all. */
export async function needsSetup(db: Db): Promise<boolean> {
  return !(await hasAnyUser(db));
}

export async function setUpInstallation(
  db: Db,
  options: { keys: KeyRing; input: unknown; clock: Clock },
): Promise<{ user: StaffUser; organisation: Organisation }> {
  const input = parseInput(setupSchema, options.input);
  const actor = 'setup';
  return db.transaction(async (tx) => {
    // createUser takes the one-administrator lock; under it, any account at all ends the setup.
    const { user } = await createUser(tx, {
      input: { ...input.owner, admin: true },
      actor,
      clock: options.clock,
    });
    const [others] = await tx.select({ n: count() }).from(users);
    if ((others?.n ?? 0) > 1)
      throw DomainError.keyed(
        'conflict',
        'setup.already_done',
        'this installation is already set up: sign in instead',
      );
    const organisation = await createOrganisation(tx, {
      keys: options.keys,
      input: input.organisation,
      actor: `user:${user.id}`,
      ownerUserId: user.id,
    });
    return {
      user: { ...user, memberships: [{ orgId: organisation.id, role: 'owner' }] },
      organisation,
    };
  });
}
