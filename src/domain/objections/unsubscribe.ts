// The unsubscribe link (OPT-1, RFC 8058): the token names a message, the message names its
// recipient, and a POST records their objection before anything is answered. A GET only reads.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { outbox } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation, type Organisation } from '../organisations/organisations.ts';
import type { Clock } from '../validation.ts';
import { recordObjection } from './objections.ts';
import { verifyUnsubscribeToken } from './unsubscribe-token.ts';

async function messageOf(db: Db, keys: KeyRing, token: string) {
  const ref = verifyUnsubscribeToken(keys.unsubscribeKey(), token);
  const [row] = ref ? await db.select().from(outbox).where(eq(outbox.messageRef, ref)) : [];
  if (!row) throw new DomainError('not_found', 'this unsubscribe link is not valid');
  return row;
}

/** For the confirmation page: whose messages these are. Changes nothing. */
export async function unsubscribeTarget(
  db: Db,
  options: { keys: KeyRing; token: string },
): Promise<Organisation> {
  const message = await messageOf(db, options.keys, options.token);
  return getOrganisation(db, { orgId: message.orgId });
}

export async function unsubscribe(
  db: Db,
  options: { keys: KeyRing; token: string; clock: Clock },
): Promise<Organisation> {
  const message = await messageOf(db, options.keys, options.token);
  await recordObjection(db, {
    keys: options.keys,
    orgId: message.orgId,
    input: { contactId: message.contactId, method: 'unsubscribe_link' },
    actor: `recipient:${message.messageRef}`,
    clock: options.clock,
  });
  return getOrganisation(db, { orgId: message.orgId });
}
