import { Hono } from 'hono';
import {
  createElection,
  getElection,
  listElections,
} from '../../domain/organisations/elections.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';

export function electionRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .post('/orgs/:orgId/elections', async (c) => {
      const election = await createElection(s.db, {
        orgId: c.req.param('orgId'),
        input: await jsonBody(c),
        actor: c.var.actor,
      });
      return c.json(election, 201);
    })
    .get('/orgs/:orgId/elections', async (c) =>
      c.json({ items: await listElections(s.db, { orgId: c.req.param('orgId') }) }),
    )
    .get('/elections/:electionId', async (c) =>
      c.json(await getElection(s.db, { electionId: c.req.param('electionId') })),
    );
}
