// OPT-1: a volunteer on the phone or at a door hears "stop contacting me" and records it there and
// then, for a contact on their own list only (objection.record within their assignment): another
// volunteer's list, or a contact not on theirs, is "not found", like any other organisation's data.
// It goes through recordObjection, so it applies at once, everywhere (and erases a prospect, OPT-3).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { assignmentContacts, assignments } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseId, parseInput, type Actor, type Clock } from '../validation.ts';
import { recordObjection, type ObjectionResult } from './objections.ts';

const inputSchema = z.object({ contactId: z.uuid('must be a UUID') }).strict();

/** How the objection reached the organisation, by task. */
const METHOD = { phoning: 'phone_call', door_to_door: 'canvasser' } as const;

export async function recordAssignedObjection(
  db: Db,
  options: {
    keys: KeyRing;
    assignmentId: string;
    userId: string;
    input: unknown;
    actor: Actor;
    clock: Clock;
  },
): Promise<ObjectionResult> {
  const id = parseId('assignment', options.assignmentId);
  const { contactId } = parseInput(inputSchema, options.input);
  const [assignment] = await db.select().from(assignments).where(eq(assignments.id, id));
  if (!assignment || assignment.volunteerId !== options.userId)
    throw DomainError.keyed(
      'not_found',
      'assignment.not_yours',
      `assignment ${id} is not one of yours`,
      { id },
    );
  const [onList] = await db
    .select({ contactId: assignmentContacts.contactId })
    .from(assignmentContacts)
    .where(
      and(eq(assignmentContacts.assignmentId, id), eq(assignmentContacts.contactId, contactId)),
    );
  if (!onList)
    throw DomainError.keyed(
      'not_found',
      'assignment.contact_not_on_list',
      `contact ${contactId} is not on this list`,
      { id: contactId },
    );
  return recordObjection(db, {
    keys: options.keys,
    orgId: assignment.orgId,
    input: { contactId, method: METHOD[assignment.task as keyof typeof METHOD] },
    actor: options.actor,
    clock: options.clock,
  });
}
