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
import { org, permit } from '../permit.ts';

export function organisationRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      // An administrator creates an organisation and becomes its first owner.
      .post('/orgs', permit(s, 'org.create'), async (c) => {
        const created = await createOrganisation(s.db, {
          keys: s.keys,
          input: await jsonBody(c),
          actor: c.var.actor,
          ownerUserId: c.var.principal!.userId,
        });
        return c.json(created, 201);
      })
      // Only the organisations the caller belongs to (every one for an administrator).
      .get('/orgs', permit(s, 'signed_in'), async (c) => {
        const p = c.var.principal!;
        const items = await listOrganisations(s.db, p.isAdmin ? {} : { memberId: p.userId });
        const allowed = p.token?.orgId ? items.filter((o) => o.id === p.token!.orgId) : items;
        return c.json({ items: allowed });
      })
      .get('/orgs/:orgId', permit(s, 'org.read', org.fromParam), async (c) =>
        c.json(await getOrganisation(s.db, { orgId: c.var.orgId })),
      )
      .patch('/orgs/:orgId', permit(s, 'org.manage', org.fromParam), async (c) =>
        c.json(
          await updateOrganisation(s.db, {
            orgId: c.var.orgId,
            input: await jsonBody(c),
            actor: c.var.actor,
            clock: s.clock,
          }),
        ),
      )
  );
}
