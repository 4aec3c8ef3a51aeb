// OPT-1 / OPT-2: an objection, whatever way it arrives (unsubscribe link, reply, letter, call),
// leads to the same place: the person's identifiers join the suppression list as keyed hashes
// (OPT-3), every channel is withdrawn in the consent ledger, and the act is audited, all in one
// transaction. Sends re-check both when they claim a message, so nothing leaves after it commits.
// A prospect who objects is erased instead (erase-prospects.ts). Recording it again writes nothing.
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { CHANNELS, CONSENT_METHODS, consentEntries, contacts } from '../../db/schema/index.ts';
import { inArray } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { DEFAULT_PURPOSE } from '../consent/consent.ts';
import { findContactIds } from '../contacts/contacts.ts';
import { emailField, openIdentity, type ContactIdentity } from '../contacts/identity.ts';
import { lookupPhone } from '../contacts/phone-numbers.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Actor, type Clock } from '../validation.ts';
import { eraseContacts, prospectsAmong } from './erase-prospects.ts';
import { suppressIdentity } from './suppression.ts';

const bySchema = z
  .object({
    contactId: z.uuid('must be a UUID').optional(),
    email: emailField.optional(),
    // Written as the person gives it ("0639 40 12 34"): read below as the import reads numbers.
    phone: z.string().trim().min(1, 'must not be empty').max(40, 'is too long').optional(),
    method: z.enum(CONSENT_METHODS, { message: `must be one of ${CONSENT_METHODS.join(', ')}` }),
  })
  .strict()
  .refine((v) => [v.contactId, v.email, v.phone].filter(Boolean).length === 1, {
    message: 'name the person by exactly one of contactId, email or phone',
  });

export type ObjectionResult = {
  /** Contacts the objection covers (withdrawn or erased). */
  contacts: number;
  /** Of those, prospects erased (OPT-3): only the suppression hashes stay. */
  erased: number;
  channels: readonly string[];
  /** Nothing was new: the objection was already recorded, and nothing was written. */
  alreadyRecorded: boolean;
};

const selectContact = {
  id: contacts.id,
  orgId: contacts.orgId,
  identity: contacts.identity,
  consentEmail: contacts.consentEmail,
  consentSms: contacts.consentSms,
  consentPhone: contacts.consentPhone,
  consentPost: contacts.consentPost,
  postalCode: contacts.postalCode,
};

/**
 * The number of an objection by phone in E.164, as the organisation's imports read it (every
 * French region for FR: "0639 40 12 34" is +262639401234), so that it suppresses that person's
 * row in any later file (SRC-8).
 */
async function objectorPhone(db: Db, orgId: string, value: string): Promise<string> {
  const { jurisdiction } = await getOrganisation(db, { orgId });
  const phone = lookupPhone(value, jurisdiction);
  if (phone) return phone;
  throw DomainError.keyed(
    'invalid',
    'objection.invalid_phone',
    'phone: is not a valid phone number (e.g. 06 12 34 56 78, 0639 40 12 34 or +262 639 40 12 34)',
  );
}

export async function recordObjection(
  db: Db,
  options: { keys: KeyRing; orgId: string; input: unknown; actor: Actor; clock: Clock },
): Promise<ObjectionResult> {
  const parsed = parseInput(bySchema, options.input);
  const input = parsed.phone
    ? { ...parsed, phone: await objectorPhone(db, options.orgId, parsed.phone) }
    : parsed;
  const keys = await options.keys.forOrg(db, options.orgId);
  const now = options.clock();
  return db.transaction(async (tx) => {
    const ids = input.contactId
      ? [input.contactId]
      : await findContactIds(tx, { keys: options.keys, orgId: options.orgId, ...input });
    // Locked (in id order, as the send engine locks): a replay running at the same time waits,
    // then sees this one's outcome.
    const rows = ids.length
      ? await tx
          .select(selectContact)
          .from(contacts)
          .where(inArray(contacts.id, ids))
          .orderBy(contacts.id)
          .for('update')
      : [];
    let mine = rows.filter((r) => r.orgId === options.orgId);
    if (input.contactId && mine.length === 0)
      throw DomainError.keyed(
        'not_found',
        'contact.not_found',
        `contact ${input.contactId} does not exist in this organisation`,
        { id: input.contactId },
      );
    // Objecting through one contact (an unsubscribe link) covers every contact of the
    // organisation with the same email or phone: the objection is the person's, not the row's.
    if (input.contactId) {
      const identity = openIdentity(keys, options.orgId, mine[0]!.id, mine[0]!.identity);
      const same = new Set(mine.map((m) => m.id));
      for (const by of [{ email: identity.email }, { phone: identity.phone }])
        if (by.email || by.phone)
          for (const id of await findContactIds(tx, {
            keys: options.keys,
            orgId: options.orgId,
            ...by,
          }))
            same.add(id);
      if (same.size > mine.length)
        mine = (
          await tx
            .select(selectContact)
            .from(contacts)
            .where(inArray(contacts.id, [...same]))
            .orderBy(contacts.id)
            .for('update')
        ).filter((r) => r.orgId === options.orgId);
    }
    // The identifier as given is suppressed even if no contact holds it yet: a later import of
    // it is refused (SRC-8).
    let newHashes = 0;
    const given: ContactIdentity = {};
    if (input.email) given.email = input.email;
    if (input.phone) given.phone = input.phone;
    if (given.email || given.phone)
      newHashes += await suppressIdentity(tx, { keys, orgId: options.orgId, identity: given });
    for (const row of mine)
      newHashes += await suppressIdentity(tx, {
        keys,
        orgId: options.orgId,
        identity: openIdentity(keys, options.orgId, row.id, row.identity),
        place: { postalCode: row.postalCode },
      });
    // OPT-3: prospects go; members and supporters stay, withdrawn on every channel.
    const prospects = new Set(
      await prospectsAmong(
        tx,
        mine.map((m) => m.id),
      ),
    );
    const erased = await eraseContacts(tx, { orgId: options.orgId, ids: [...prospects], now });
    const toWithdraw = mine.filter(
      (row) =>
        !prospects.has(row.id) &&
        [row.consentEmail, row.consentSms, row.consentPhone, row.consentPost].some(
          (state) => state !== 'withdrawn',
        ),
    );
    if (toWithdraw.length)
      await tx.insert(consentEntries).values(
        toWithdraw.flatMap((row) =>
          CHANNELS.map((channel) => ({
            orgId: options.orgId,
            contactId: row.id,
            channel,
            purpose: DEFAULT_PURPOSE,
            action: 'withdrawn' as const,
            method: input.method,
            occurredAt: now,
            recordedAt: now,
            recordedBy: options.actor,
          })),
        ),
      );
    // A replay (the same link clicked again, the same letter entered twice) writes nothing.
    const alreadyRecorded = newHashes === 0 && erased === 0 && toWithdraw.length === 0;
    if (!alreadyRecorded) {
      // An erased contact's id is not kept next to the word "objection".
      const single = mine.length === 1 && erased === 0;
      await recordAudit(
        tx,
        {
          actor: options.actor,
          action: 'objection.record',
          orgId: options.orgId,
          entityType: single ? 'contact' : 'objection',
          entityId: single ? mine[0]!.id : null,
          summary: {
            method: input.method,
            contacts: mine.length,
            erased,
            by: input.contactId ? 'contact' : input.email ? 'email' : 'phone',
          },
        },
        options.clock,
      );
    }
    return { contacts: mine.length, erased, channels: CHANNELS, alreadyRecorded };
  });
}
