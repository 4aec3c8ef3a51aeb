import { Hono } from 'hono';
import { LAWFUL_SOURCE_TYPES } from '../../policy/sources.ts';
import { deleteSource } from '../../domain/sources/delete-source.ts';
import {
  createSource,
  forbiddenSourceTypes,
  getSource,
  listSources,
} from '../../domain/sources/sources.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function sourceRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/source-types', permit(s, 'signed_in'), (c) =>
      c.json({
        lawful: LAWFUL_SOURCE_TYPES,
        forbidden: Object.entries(forbiddenSourceTypes).map(([type, v]) => ({ type, ...v })),
      }),
    )
    .post('/orgs/:orgId/sources', permit(s, 'source.manage', org.fromParam), async (c) => {
      const source = await createSource(s.db, {
        orgId: c.var.orgId,
        input: await jsonBody(c),
        actor: c.var.actor,
        clock: s.clock,
      });
      return c.json(source, 201);
    })
    .get('/orgs/:orgId/sources', permit(s, 'source.read', org.fromParam), async (c) =>
      c.json({ items: await listSources(s.db, { orgId: c.var.orgId }) }),
    )
    .get('/sources/:sourceId', permit(s, 'source.read', org.ofSource), async (c) =>
      c.json(await getSource(s.db, { sourceId: c.req.param('sourceId') })),
    )
    .delete('/sources/:sourceId', permit(s, 'source.manage', org.ofSource), async (c) =>
      c.json(
        await deleteSource(s.db, {
          sourceId: c.req.param('sourceId'),
          actor: c.var.actor,
          keys: s.keys,
        }),
      ),
    );
}
