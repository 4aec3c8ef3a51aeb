// SEC-1: a volunteer sees only the contacts a manager assigned to them, and only the fields their
// task needs. A manager builds an assignment from a saved segment; the contacts picked are those
// the task may lawfully reach (a phone number not withdrawn for phoning, an address for visits).
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { assignments, memberships, users } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { openIdentity } from '../contacts/identity.ts';
import { reachable } from '../contacts/reachability.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { compileFilter } from '../segments/compile.ts';
import { parseFilter } from '../segments/filter.ts';
import { getSegment } from '../segments/segments.ts';
import { withoutSilenced, type SilenceNotice } from '../outreach/silence.ts';
import { withinSendWindow, type HoursNotice } from '../outreach/send-window.ts';
import { packFor } from '../../policy/packs.ts';
import { parseId, parseInput, plainText, type Actor, type Clock } from '../validation.ts';

export const TASKS = ['phoning', 'door_to_door'] as const;
export type Task = (typeof TASKS)[number];

/** What each task shows of a contact: nothing else leaves the server. */
export const TASK_FIELDS: Record<Task, readonly string[]> = {
  phoning: ['contactId', 'firstNames', 'name', 'phone', 'communeCode'],
  door_to_door: ['contactId', 'firstNames', 'name', 'streetAddress', 'postalCode', 'communeCode'],
};

const TASK_CONDITION: Record<Task, ReturnType<typeof sql>> = {
  phoning: reachable('phone'),
  door_to_door: reachable('post'),
};

const createSchema = z
  .object({
    volunteerId: z.uuid('must be a UUID'),
    task: z.enum(TASKS, { message: `must be one of ${TASKS.join(', ')}` }),
    segmentId: z.uuid('must be a UUID'),
    label: plainText(200),
    limit: z.number().int().min(1).max(500, 'at most 500 contacts per assignment'),
  })
  .strict();

export type Assignment = typeof assignments.$inferSelect;

export async function createAssignment(
  db: Db,
  options: { orgId: string; input: unknown; actor: Actor; clock?: Clock },
): Promise<Assignment> {
  const input = parseInput(createSchema, options.input);
  const org = await getOrganisation(db, { orgId: options.orgId });
  const [member] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, input.volunteerId)));
  if (member?.role !== 'volunteer')
    throw DomainError.keyed(
      'invalid',
      'assignment.not_a_volunteer',
      'volunteerId: not a volunteer of this organisation',
    );
  const segment = await getSegment(db, { segmentId: input.segmentId, orgId: org.id });
  // The segment is checked against today's policy, as at every use (SEG-2).
  const filter = parseFilter(packFor(org.jurisdiction), segment.filter);
  const condition = compileFilter(filter, {
    referenceYear: (options.clock ?? (() => new Date()))().getUTCFullYear(),
  });
  return db.transaction(async (tx) => {
    const id = randomUUID();
    await tx.insert(assignments).values({
      id,
      orgId: org.id,
      volunteerId: input.volunteerId,
      task: input.task,
      label: input.label,
      contactCount: 0,
      createdBy: options.actor,
    });
    const picked = (await tx.execute(sql`
      insert into assignment_contacts (assignment_id, contact_id)
      select ${id}, c.id from contacts c
      where c.org_id = ${org.id} and ${condition} and ${TASK_CONDITION[input.task]}
      order by c.id limit ${input.limit}
      returning contact_id`)) as unknown as { rows: unknown[] };
    const [row] = await tx
      .update(assignments)
      .set({ contactCount: picked.rows.length })
      .where(eq(assignments.id, id))
      .returning();
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'assignment.create',
        orgId: org.id,
        entityType: 'assignment',
        entityId: id,
        summary: { task: input.task, contacts: picked.rows.length, segment: segment.id },
      },
      options.clock,
    );
    return row!;
  });
}

export async function listAssignments(
  db: Db,
  options: { orgId: string; volunteerId?: string },
): Promise<Assignment[]> {
  return db
    .select()
    .from(assignments)
    .where(
      and(
        eq(assignments.orgId, options.orgId),
        options.volunteerId ? eq(assignments.volunteerId, options.volunteerId) : undefined,
      ),
    )
    .orderBy(asc(assignments.createdAt), asc(assignments.id));
}

export type AssignedContact = Record<string, string | null>;

/**
 * The contacts of one assignment, for the volunteer it was given to only, with the task's fields
 * only. Identifiers are decrypted, so the read is audited (SEC-2).
 */
export async function readAssignedContacts(
  db: Db,
  options: { keys: KeyRing; assignmentId: string; userId: string; actor: Actor; clock?: Clock },
): Promise<{
  assignment: Assignment;
  fields: readonly string[];
  items: AssignedContact[];
  silences: SilenceNotice[];
  outsideHours: HoursNotice[];
}> {
  const id = parseId('assignment', options.assignmentId);
  const [assignment] = await db.select().from(assignments).where(eq(assignments.id, id));
  // Someone else's assignment is "not found": its existence is not theirs to know.
  if (!assignment || assignment.volunteerId !== options.userId)
    throw DomainError.keyed(
      'not_found',
      'assignment.not_yours',
      `assignment ${id} is not one of yours`,
      { id },
    );
  const task = assignment.task as Task;
  const keys = await options.keys.forOrg(db, assignment.orgId);
  return db.transaction(async (tx) => {
    // The task's condition again at each read: someone who objected or withdrew since the
    // assignment was made drops out of the volunteer's list at once.
    const result = (await tx.execute(sql`
      select c.id, c.identity, c.postal_code, c.commune_code
      from assignment_contacts a join contacts c on c.id = a.contact_id
      where a.assignment_id = ${id} and ${TASK_CONDITION[task]}
      order by c.id`)) as unknown as {
      rows: {
        id: string;
        identity: Uint8Array;
        postal_code: string | null;
        commune_code: string | null;
      }[];
    };
    // CAL-1: nobody inside an election silence is called or visited; the volunteer sees why.
    const at = (options.clock ?? (() => new Date()))();
    const silenced = await withoutSilenced(tx, { orgId: assignment.orgId, rows: result.rows, at });
    const { silences } = silenced;
    // CH-HOURS: a number is shown only inside the call window in its owner's zone (not visits).
    const { jurisdiction } = await getOrganisation(tx, { orgId: assignment.orgId });
    const hours =
      task === 'phoning'
        ? withinSendWindow(packFor(jurisdiction), { rows: silenced.rows, at })
        : { rows: silenced.rows, outsideHours: [] };
    const { rows, outsideHours } = hours;
    const items = rows.map((r) => {
      const identity = openIdentity(keys, assignment.orgId, r.id, Buffer.from(r.identity));
      const all: AssignedContact = {
        contactId: r.id,
        firstNames: identity.firstNames ?? null,
        name: identity.usageName ?? identity.birthName ?? null,
        phone: identity.phone ?? null,
        streetAddress: identity.streetAddress ?? null,
        postalCode: r.postal_code,
        communeCode: r.commune_code,
      };
      return Object.fromEntries(TASK_FIELDS[task].map((f) => [f, all[f] ?? null]));
    });
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'assignment.read',
        orgId: assignment.orgId,
        entityType: 'assignment',
        entityId: id,
        summary: { rows: items.length, fields: [...TASK_FIELDS[task]] },
      },
      options.clock,
    );
    return { assignment, fields: TASK_FIELDS[task], items, silences, outsideHours };
  });
}

/**
 * The organisation's active volunteers, by id and name only, so that whoever hands out lists can
 * pick one without reading the staff list (emails, roles) that `user.read` opens.
 */
export async function listVolunteers(
  db: Db,
  options: { orgId: string },
): Promise<{ id: string; displayName: string }[]> {
  return db
    .select({ id: users.id, displayName: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, options.orgId),
        eq(memberships.role, 'volunteer'),
        isNull(users.disabledAt),
      ),
    )
    .orderBy(asc(users.displayName), asc(users.id));
}
