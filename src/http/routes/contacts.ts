import { Hono } from 'hono';
import { countContacts } from '../../domain/contacts/contacts.ts';
import { dashboardFor } from '../../domain/organisations/dashboard.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { org, permit } from '../permit.ts';

export function contactRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      .get('/orgs/:orgId/contacts/count', permit(s, 'contact.count', org.fromParam), async (c) =>
        c.json(await countContacts(s.db, { orgId: c.var.orgId })),
      )
      // The web app's dashboard: aggregates only.
      .get('/orgs/:orgId/dashboard', permit(s, 'contact.count', org.fromParam), async (c) =>
        c.json(await dashboardFor(s.db, { orgId: c.var.orgId, at: s.clock() })),
      )
  );
}
