import { Hono } from 'hono';
import {
  decideExport,
  downloadExport,
  listExports,
  requestExport,
} from '../../domain/exports/exports.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function exportRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .post('/orgs/:orgId/exports', permit(s, 'export.request', org.fromParam), async (c) =>
      c.json(
        await requestExport(s.db, {
          orgId: c.var.orgId,
          userId: c.var.principal!.userId,
          input: await jsonBody(c),
          actor: c.var.actor,
          clock: s.clock,
        }),
        201,
      ),
    )
    .get('/orgs/:orgId/exports', permit(s, 'export.read', org.fromParam), async (c) =>
      c.json({ items: await listExports(s.db, { orgId: c.var.orgId }) }),
    )
    .post('/exports/:exportId/approve', permit(s, 'export.approve', org.ofExport), async (c) =>
      c.json(await decide(s, c.req.param('exportId'), c.var, true, await optionalBody(c))),
    )
    .post('/exports/:exportId/reject', permit(s, 'export.approve', org.ofExport), async (c) =>
      c.json(await decide(s, c.req.param('exportId'), c.var, false, await optionalBody(c))),
    )
    .get('/exports/:exportId/file', permit(s, 'export.request', org.ofExport), async (c) => {
      const file = await downloadExport(s.db, {
        keys: s.keys,
        exportId: c.req.param('exportId'),
        userId: c.var.principal!.userId,
        actor: c.var.actor,
        clock: s.clock,
      });
      return c.body(new Uint8Array(file.body), 200, {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.fileName}"`,
        'cache-control': 'no-store',
        'x-isoloir-rows': String(file.rows),
      });
    });
}

async function optionalBody(c: Parameters<typeof jsonBody>[0]) {
  return c.req.header('content-type') ? jsonBody(c) : {};
}

const decide = (
  s: Services,
  exportId: string,
  v: AuthVariables,
  approve: boolean,
  input: unknown,
) =>
  decideExport(s.db, {
    exportId,
    userId: v.principal!.userId,
    approve,
    input,
    actor: v.actor,
    clock: s.clock,
  });
