import { Hono } from 'hono';
import {
  createAssignment,
  listAssignments,
  listVolunteers,
  readAssignedContacts,
} from '../../domain/assignments/assignments.ts';
import { recordAssignedObjection } from '../../domain/objections/volunteer-objection.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function assignmentRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      .post('/orgs/:orgId/assignments', permit(s, 'assignment.manage', org.fromParam), async (c) =>
        c.json(
          await createAssignment(s.db, {
            orgId: c.var.orgId,
            input: await jsonBody(c),
            actor: c.var.actor,
            clock: s.clock,
          }),
          201,
        ),
      )
      .get('/orgs/:orgId/assignments', permit(s, 'assignment.manage', org.fromParam), async (c) =>
        c.json({ items: await listAssignments(s.db, { orgId: c.var.orgId }) }),
      )
      // Whom a list can be given to: volunteers' ids and names, nothing more.
      .get('/orgs/:orgId/volunteers', permit(s, 'assignment.manage', org.fromParam), async (c) =>
        c.json({ items: await listVolunteers(s.db, { orgId: c.var.orgId }) }),
      )
      // A volunteer's own assignments.
      .get(
        '/orgs/:orgId/assignments/mine',
        permit(s, 'assignment.work', org.fromParam),
        async (c) =>
          c.json({
            items: await listAssignments(s.db, {
              orgId: c.var.orgId,
              volunteerId: c.var.principal!.userId,
            }),
          }),
      )
      .get(
        '/assignments/:assignmentId/contacts',
        permit(s, 'assignment.work', org.ofAssignment),
        async (c) =>
          c.json(
            await readAssignedContacts(s.db, {
              keys: s.keys,
              assignmentId: c.req.param('assignmentId'),
              userId: c.var.principal!.userId,
              actor: c.var.actor,
              clock: s.clock,
            }),
          ),
      )
      // OPT-1: "stop contacting me", heard by the volunteer, for a contact on their own list.
      .post(
        '/assignments/:assignmentId/objections',
        permit(s, 'assignment.work', org.ofAssignment),
        async (c) =>
          c.json(
            await recordAssignedObjection(s.db, {
              keys: s.keys,
              assignmentId: c.req.param('assignmentId'),
              userId: c.var.principal!.userId,
              input: await jsonBody(c),
              actor: c.var.actor,
              clock: s.clock,
            }),
            201,
          ),
      )
  );
}
