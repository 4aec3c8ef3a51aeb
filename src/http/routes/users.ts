// Staff of an organisation (owners manage them; the DPO can see who has access), and accounts
// across the installation for administrators.
import { Hono } from 'hono';
import {
  createUser,
  disableUser,
  getUser,
  listUsers,
  removeMember,
  setRole,
} from '../../domain/access/users.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function userRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/orgs/:orgId/users', permit(s, 'user.read', org.fromParam), async (c) =>
      c.json({ items: await listUsers(s.db, { orgId: c.var.orgId }) }),
    )
    .post('/orgs/:orgId/users', permit(s, 'user.manage', org.fromParam), async (c) => {
      const body = await jsonBody(c);
      if (typeof body === 'object' && body && ('admin' in body || 'orgId' in body))
        throw DomainError.keyed(
          'invalid',
          'user.admin_org_not_settable',
          'admin and orgId cannot be set here',
        );
      const input = { ...(body as object), orgId: c.var.orgId };
      const created = await createUser(s.db, { input, actor: c.var.actor, clock: s.clock });
      // Only this organisation's part of the account: its other roles are not the caller's business.
      const { user } = created;
      const here = user.memberships.filter((m) => m.orgId === c.var.orgId);
      return c.json({ ...created, user: { ...user, isAdmin: false, memberships: here } }, 201);
    })
    .patch('/orgs/:orgId/users/:userId', permit(s, 'user.manage', org.fromParam), async (c) =>
      c.json(
        await setRole(s.db, {
          orgId: c.var.orgId,
          userId: c.req.param('userId'),
          input: await jsonBody(c),
          actor: c.var.actor,
          byUserId: c.var.principal!.userId,
          clock: s.clock,
        }),
      ),
    )
    .delete('/orgs/:orgId/users/:userId', permit(s, 'user.manage', org.fromParam), async (c) =>
      c.json(
        await removeMember(s.db, {
          orgId: c.var.orgId,
          userId: c.req.param('userId'),
          actor: c.var.actor,
          clock: s.clock,
        }),
      ),
    )
    .get('/users', permit(s, 'user.admin'), async (c) =>
      c.json({ items: await listUsers(s.db, {}) }),
    )
    .get('/users/:userId', permit(s, 'user.admin'), async (c) =>
      c.json(await getUser(s.db, { userId: c.req.param('userId') })),
    )
    .post('/users/:userId/disable', permit(s, 'user.admin'), async (c) =>
      c.json(
        await disableUser(s.db, {
          userId: c.req.param('userId'),
          actor: c.var.actor,
          clock: s.clock,
        }),
      ),
    );
}
