import { Hono } from 'hono';
import {
  createElection,
  getElection,
  listElections,
} from '../../domain/organisations/elections.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function electionRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .post('/orgs/:orgId/elections', permit(s, 'org.manage', org.fromParam), async (c) => {
      const election = await createElection(s.db, {
        orgId: c.var.orgId,
        input: await jsonBody(c),
        actor: c.var.actor,
        clock: s.clock,
      });
      return c.json(election, 201);
    })
    .get('/orgs/:orgId/elections', permit(s, 'org.read', org.fromParam), async (c) =>
      c.json({ items: await listElections(s.db, { orgId: c.var.orgId }) }),
    )
    .get('/elections/:electionId', permit(s, 'org.read', org.ofElection), async (c) =>
      c.json(await getElection(s.db, { electionId: c.req.param('electionId') })),
    );
}
