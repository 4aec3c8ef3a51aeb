// API tokens: each person lists and revokes their own; an owner may also revoke any token that
// acts in their organisation (for a member who left, say).
import { Hono } from 'hono';
import {
  createApiToken,
  getApiToken,
  listApiTokens,
  revokeApiToken,
} from '../../domain/access/api-tokens.ts';
import { notFound, roleIn } from '../../domain/access/authorise.ts';
import { roleAllows } from '../../domain/access/permissions.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function tokenRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/tokens', permit(s, 'signed_in'), async (c) =>
      c.json({ items: await listApiTokens(s.db, { userId: c.var.principal!.userId }) }),
    )
    .post('/orgs/:orgId/tokens', permit(s, 'token.create', org.fromParam), async (c) => {
      const body = await jsonBody(c);
      const input = { ...(typeof body === 'object' && body ? body : {}), orgId: c.var.orgId };
      const created = await createApiToken(s.db, {
        userId: c.var.principal!.userId,
        input,
        actor: c.var.actor,
        ...(c.var.principal!.token ? { madeBy: c.var.principal!.token } : {}),
        clock: s.clock,
      });
      return c.json(created, 201);
    })
    .delete('/tokens/:tokenId', permit(s, 'signed_in'), async (c) => {
      const p = c.var.principal!;
      const token = await getApiToken(s.db, { tokenId: c.req.param('tokenId') });
      const own = token.userId === p.userId;
      const role = token.orgId ? await roleIn(s.db, p.userId, token.orgId) : undefined;
      const owner = role !== undefined && roleAllows(role, 'user.manage') && !p.token;
      if (!own && !owner) throw notFound();
      return c.json(
        await revokeApiToken(s.db, { tokenId: token.id, actor: c.var.actor, clock: s.clock }),
      );
    });
}
