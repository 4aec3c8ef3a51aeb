import { Hono } from 'hono';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from '../../domain/organisations/organisations.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';

export function organisationRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .post('/orgs', async (c) => {
      const org = await createOrganisation(s.db, {
        keys: s.keys,
        input: await jsonBody(c),
        actor: c.var.actor,
      });
      return c.json(org, 201);
    })
    .get('/orgs', async (c) => c.json({ items: await listOrganisations(s.db) }))
    .get('/orgs/:orgId', async (c) =>
      c.json(await getOrganisation(s.db, { orgId: c.req.param('orgId') })),
    )
    .patch('/orgs/:orgId', async (c) =>
      c.json(
        await updateOrganisation(s.db, {
          orgId: c.req.param('orgId'),
          input: await jsonBody(c),
          actor: c.var.actor,
        }),
      ),
    );
}
