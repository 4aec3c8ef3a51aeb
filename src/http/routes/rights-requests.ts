// RIGHTS-1: rights requests over JSON. Public: ask for a code (202, the same answer whether or
// not the address is on file; throttled per address and per client address in the domain; email
// only until an SMS channel exists, issue 16), and confirm it. Staff: the DPO's queue (request.read) and the answer or extension (request.answer).
import { Hono } from 'hono';
import { answerRightsRequest } from '../../domain/rights/answer-request.ts';
import { confirmRightsRequest } from '../../domain/rights/confirm-request.ts';
import {
  createRightsRequest,
  getRightsRequest,
  listRightsRequests,
} from '../../domain/rights/requests.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';
import { clientAddress } from './session.ts';

const field = (body: unknown, name: string): unknown =>
  body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;

export function rightsRequestRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .post('/public/orgs/:orgId/requests', permit(s, 'public'), async (c) => {
      const { id } = await createRightsRequest(s.db, {
        keys: s.keys,
        clock: s.clock,
        orgId: c.req.param('orgId'),
        input: await jsonBody(c),
        client: clientAddress(c),
        // No SMS channel exists until issue 16: a code by SMS would never arrive.
        smsAvailable: false,
      });
      c.header('cache-control', 'no-store');
      return c.json({ id }, 202);
    })
    .post('/public/requests/:requestId/confirm', permit(s, 'public'), async (c) => {
      const body = await jsonBody(c);
      c.header('cache-control', 'no-store');
      return c.json(
        await confirmRightsRequest(s.db, {
          keys: s.keys,
          clock: s.clock,
          requestId: c.req.param('requestId'),
          code: field(body, 'code'),
        }),
      );
    })
    .get('/orgs/:orgId/requests', permit(s, 'request.read', org.fromParam), async (c) =>
      c.json(await listRightsRequests(s.db, { orgId: c.var.orgId, status: c.req.query('status') })),
    )
    .get('/requests/:requestId', permit(s, 'request.read', org.ofRightsRequest), async (c) => {
      c.header('cache-control', 'no-store');
      return c.json(
        await getRightsRequest(s.db, {
          keys: s.keys,
          requestId: c.req.param('requestId'),
          actor: c.var.actor,
          clock: s.clock,
        }),
      );
    })
    .post(
      '/requests/:requestId/answer',
      permit(s, 'request.answer', org.ofRightsRequest),
      async (c) => {
        const body = await jsonBody(c);
        return c.json(
          await answerRightsRequest(s.db, {
            keys: s.keys,
            clock: s.clock,
            requestId: c.req.param('requestId'),
            note: field(body, 'note'),
            extendDays: field(body, 'extendDays'),
            actor: c.var.actor,
          }),
        );
      },
    );
}
