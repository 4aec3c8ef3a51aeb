import { Hono } from 'hono';
import {
  createElection,
  getElection,
  listElections,
} from '../../domain/organisations/elections.ts';
import { declaredSilences, silenceNotice } from '../../domain/outreach/silence.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function electionRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
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
      )
      // CAL-1: the silences not yet over, per vote and time zone, for the composer's warning.
      .get('/orgs/:orgId/silences', permit(s, 'org.read', org.fromParam), async (c) =>
        c.json({
          silences: (await declaredSilences(s.db, { orgId: c.var.orgId, clock: s.clock })).map(
            silenceNotice,
          ),
        }),
      )
  );
}
