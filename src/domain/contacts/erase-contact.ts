// RIGHTS-1, erasure by staff: the contact goes whatever its sources (a member too, unlike an
// objection, OPT-3), with its provenance, consent-ledger rows, assignments and rectification rows.
// Its identifiers join the suppression list first, as keyed hashes only, so that the next member
// file or electoral list does not bring the person back (SRC-8). Messages of theirs still queued
// become suppressed; every outbox row stays as a message reference with no contact.
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { eraseContacts } from '../objections/erase-prospects.ts';
import { DomainError } from '../errors.ts';
import { suppressIdentity } from '../objections/suppression.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Actor, type Clock } from '../validation.ts';
import { lockContact, requestOfOrganisation } from './contact-to-change.ts';
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
    const row = await lockContact(tx, options.orgId, contactId);
    // The request this erasure answers, when named: the person's own confirmed erasure or
    // objection request, still open (an audit entry must not name an unrelated request).
    if (input.requestId) {
      const request = await requestOfOrganisation(tx, options.orgId, input.requestId, row.id);
      if (
        !['erasure', 'objection'].includes(request.kind) ||
        !['open', 'extended'].includes(request.status) ||
        !request.matched
      )
        throw DomainError.keyed(
          'invalid',
          'contact.request_not_erasure',
          'requestId: not an open erasure or objection request of this contact (RIGHTS-1)',
          {},
          'RIGHTS-1',
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
