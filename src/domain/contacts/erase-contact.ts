// RIGHTS-1, erasure by staff: the contact goes whatever its sources (a member too, unlike an
// objection, OPT-3), with its provenance, consent-ledger rows, assignments and rectification rows.
// Its identifiers join the suppression list first, as keyed hashes only, so that the next member
// file or electoral list does not bring the person back (SRC-8). Messages of theirs still queued
// become suppressed; every outbox row stays as a message reference with no contact.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { contacts, rightsRequests } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { eraseContacts } from '../objections/erase-prospects.ts';
import { suppressIdentity } from '../objections/suppression.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Actor, type Clock } from '../validation.ts';
import { openIdentity } from './identity.ts';

const inputSchema = z
  .object({ requestId: z.uuid('must be a UUID').optional() })
  .strict()
  .optional();

export async function eraseContact(
  db: Db,
  options: {
    keys: KeyRing;
    orgId: string;
    contactId: string;
    input?: unknown;
    actor: Actor;
    clock: Clock;
  },
): Promise<{ erased: number; suppressed: number }> {
  const contactId = parseInput(z.uuid('contact id must be a UUID'), options.contactId);
  const input = parseInput(inputSchema, options.input) ?? {};
  const keys = await options.keys.forOrg(db, options.orgId);
  const now = options.clock();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: contacts.id, identity: contacts.identity, postalCode: contacts.postalCode })
      .from(contacts)
      .where(and(eq(contacts.id, contactId), eq(contacts.orgId, options.orgId)))
      .for('update');
    if (!row)
      throw DomainError.keyed(
        'not_found',
        'contact.not_found',
        `contact ${contactId} does not exist in this organisation`,
        { id: contactId },
      );
    if (input.requestId) {
      const [request] = await tx
        .select({ id: rightsRequests.id })
        .from(rightsRequests)
        .where(
          and(eq(rightsRequests.id, input.requestId), eq(rightsRequests.orgId, options.orgId)),
        );
      if (!request)
        throw DomainError.keyed(
          'not_found',
          'contact.request_not_found',
          'requestId: no rights request of this organisation has this id',
        );
    }
    const suppressed = await suppressIdentity(tx, {
      keys,
      orgId: options.orgId,
      identity: openIdentity(keys, options.orgId, row.id, row.identity),
      place: { postalCode: row.postalCode },
    });
    const erased = await eraseContacts(tx, { orgId: options.orgId, ids: [row.id], now });
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'contact.erase',
        orgId: options.orgId,
        // The id of a row that no longer exists: it names nobody.
        entityType: 'contact',
        entityId: row.id,
        summary: input.requestId ? { erased, requestId: input.requestId } : { erased },
      },
      options.clock,
    );
    return { erased, suppressed };
  });
}
