// The unsubscribe link (OPT-1, RFC 8058): the token names a message, the message names its
// recipient, and a POST records their objection before anything is answered. A GET only reads.
// A second POST, or one after the recipient was erased (OPT-3), writes nothing and answers alike.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { contacts, outbox } from '../../db/schema/index.ts';
import { openIdentity } from '../contacts/identity.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation, type Organisation } from '../organisations/organisations.ts';
import type { Clock } from '../validation.ts';
import { recordObjection } from './objections.ts';
import { suppressedAmong, suppressionHashes } from './suppression.ts';
import { verifyUnsubscribeToken } from './unsubscribe-token.ts';

export type UnsubscribeAnswer = {
  org: Organisation;
  alreadyRecorded: boolean;
  /**
   * The recipient's data was deleted for another reason (its source was deleted): nothing is
   * left to object with, and the page says so rather than claim an objection was recorded.
   */
  noLongerHeld?: boolean;
};

async function messageOf(db: Db, keys: KeyRing, token: string) {
  const ref = verifyUnsubscribeToken(keys.unsubscribeKey(), token);
  const [row] = ref ? await db.select().from(outbox).where(eq(outbox.messageRef, ref)) : [];
  if (!row)
    throw DomainError.keyed(
      'not_found',
      'unsubscribe.link_invalid',
      'this unsubscribe link is not valid',
    );
  return row;
}

/** Whether the recipient of this message has objected already (erased, or withdrawn and suppressed). */
export async function hasObjected(db: Db, keys: KeyRing, orgId: string, contactId: string) {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, contactId));
  if (!row) return true;
  if (
    [row.consentEmail, row.consentSms, row.consentPhone, row.consentPost].some(
      (c) => c !== 'withdrawn',
    )
  )
    return false;
  const orgKeys = await keys.forOrg(db, orgId);
  const hashes = suppressionHashes(orgKeys, openIdentity(orgKeys, orgId, row.id, row.identity), {
    postalCode: row.postalCode,
  });
  return (await suppressedAmong(db, { orgId, hashes })).size === hashes.length;
}

/** For the confirmation page: whose messages these are, and whether it is done. Changes nothing. */
export async function unsubscribeTarget(
  db: Db,
  options: { keys: KeyRing; token: string },
): Promise<UnsubscribeAnswer> {
  const message = await messageOf(db, options.keys, options.token);
  const org = await getOrganisation(db, { orgId: message.orgId });
  if (!message.contactId) return gone(org, message.recipientObjected);
  return {
    org,
    alreadyRecorded: await hasObjected(db, options.keys, message.orgId, message.contactId),
  };
}

export async function unsubscribe(
  db: Db,
  options: {
    keys: KeyRing;
    token: string;
    clock: Clock;
    method?: 'unsubscribe_link' | 'email_reply';
  },
): Promise<UnsubscribeAnswer> {
  const message = await messageOf(db, options.keys, options.token);
  const org = await getOrganisation(db, { orgId: message.orgId });
  // Erased since (OPT-3): the message stays as a reference, the objection is recorded; or deleted
  // with its source, and there is nothing left to object with.
  if (!message.contactId) return gone(org, message.recipientObjected);
  try {
    const result = await recordObjection(db, {
      keys: options.keys,
      orgId: message.orgId,
      input: { contactId: message.contactId, method: options.method ?? 'unsubscribe_link' },
      actor: `recipient:${message.messageRef}`,
      clock: options.clock,
    });
    return { org, alreadyRecorded: result.alreadyRecorded };
  } catch (error) {
    // Erased by a replay that committed in the meantime: the same answer as any replay.
    if (error instanceof DomainError && error.code === 'not_found')
      return { org, alreadyRecorded: true };
    throw error;
  }
}

/** A message whose recipient is no longer held: erased after objecting, or deleted with a source. */
const gone = (org: Organisation, objected: boolean): UnsubscribeAnswer =>
  objected ? { org, alreadyRecorded: true } : { org, alreadyRecorded: false, noLongerHeld: true };

/**
 * The organisation a link that does not verify (a truncated or edited one) was meant for, when
 * its message reference is intact: only to answer in the organisation's language. Changes nothing.
 */
export async function organisationOfBrokenLink(
  db: Db,
  token: string,
): Promise<Organisation | undefined> {
  const ref = /^([0-9a-f]{32})/.exec(token)?.[1];
  if (!ref) return undefined;
  const [row] = await db
    .select({ orgId: outbox.orgId })
    .from(outbox)
    .where(eq(outbox.messageRef, ref));
  return row ? getOrganisation(db, { orgId: row.orgId }) : undefined;
}
