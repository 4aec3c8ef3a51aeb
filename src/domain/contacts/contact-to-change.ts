// What a staff change to one contact reads first, shared by rectification (rectify.ts) and erasure
// (erase-contact.ts) so that both refuse alike: the contact row, of this organisation only and
// locked for the transaction (`contact.not_found` otherwise), and the rights request the change
// answers when one is named (`contact.request_not_found` unless it is this organisation's).
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { contacts, rightsRequests } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';

/** The contact `contactId` of `orgId`, locked for update until the transaction ends. */
export async function lockContact(tx: Db, orgId: string, contactId: string) {
  const [row] = await tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, contactId), eq(contacts.orgId, orgId)))
    .for('update');
  if (!row)
    throw DomainError.keyed(
      'not_found',
      'contact.not_found',
      `contact ${contactId} does not exist in this organisation`,
      { id: contactId },
    );
  return row;
}

/**
 * The rights request `requestId` of `orgId`: its kind, its status, and whether it matched the
 * contact `contactId` (the person proved an address of that contact).
 */
export async function requestOfOrganisation(
  tx: Db,
  orgId: string,
  requestId: string,
  contactId: string,
): Promise<{ kind: string; status: string; matched: boolean }> {
  const [request] = await tx
    .select({
      kind: rightsRequests.kind,
      status: rightsRequests.status,
      matched: sql<boolean>`${contactId}::uuid = any(coalesce(${rightsRequests.contactIds}, '{}'::uuid[]))`,
    })
    .from(rightsRequests)
    .where(and(eq(rightsRequests.id, requestId), eq(rightsRequests.orgId, orgId)));
  if (!request)
    throw DomainError.keyed(
      'not_found',
      'contact.request_not_found',
      'requestId: no rights request of this organisation has this id',
    );
  return request;
}
