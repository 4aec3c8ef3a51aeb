import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { identifiersAllowed as mayPreviewIdentifiers } from '../../domain/access/authorise.ts';
import { DomainError } from '../../domain/errors.ts';
import { getOrganisation } from '../../domain/organisations/organisations.ts';
import { countSegment } from '../../domain/segments/count.ts';
import { segmentFields } from '../../domain/segments/filter.ts';
import { packFor } from '../../policy/packs.ts';
import {
  countSavedSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  saveSegment,
  updateSegment,
} from '../../domain/segments/segments.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

const atSchema = z.iso.date('at: must be a date written YYYY-MM-DD').optional();
const toDate = (at: string | undefined) => (at ? new Date(`${at}T12:00:00Z`) : undefined);

const countBody = z.object({ where: z.unknown(), at: atSchema }).strict();
const previewBody = z
  .object({
    where: z.unknown(),
    limit: z.number().int().optional(),
    identifiers: z.boolean().optional(),
  })
  .strict();

function previewQuery(c: Context) {
  const limit = c.req.query('limit');
  if (limit !== undefined && !/^\d+$/.test(limit))
    throw DomainError.keyed(
      'invalid',
      'segment.limit_not_integer',
      'limit: must be a whole number',
    );
  return {
    limit: limit === undefined ? undefined : Number(limit),
    identifiers: c.req.query('identifiers') === 'true',
  };
}

/** Identifiers in a preview only when asked, and only for a role that may see them (SEC-1). */
const identifiersAllowed = (c: Context<{ Variables: AuthVariables }>, asked: boolean) =>
  mayPreviewIdentifiers(c.var.principal!, c.var.role, asked);

export function segmentRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      // SEG-1: the fields this organisation's policy pack lets a segment use (the builder's list).
      .get('/orgs/:orgId/segment-fields', permit(s, 'segment.read', org.fromParam), async (c) => {
        const { jurisdiction } = await getOrganisation(s.db, { orgId: c.var.orgId });
        return c.json({ items: segmentFields(packFor(jurisdiction)) });
      })
      .post('/orgs/:orgId/segments/count', permit(s, 'segment.count', org.fromParam), async (c) => {
        const body = parseInput(countBody, await jsonBody(c));
        return c.json(
          await countSegment(s.db, {
            orgId: c.var.orgId,
            where: body.where,
            at: toDate(body.at),
          }),
        );
      })
      // Rows (without identifiers) are for those who build segments; identifiers need more.
      .post(
        '/orgs/:orgId/segments/preview',
        permit(s, 'segment.manage', org.fromParam),
        async (c) => {
          const body = parseInput(previewBody, await jsonBody(c));
          const items = await previewSegment(s.db, {
            orgId: c.var.orgId,
            where: body.where,
            keys: s.keys,
            limit: body.limit,
            withIdentifiers: identifiersAllowed(c, body.identifiers ?? false),
            actor: c.var.actor,
          });
          return c.json({ items });
        },
      )
      .post('/orgs/:orgId/segments', permit(s, 'segment.manage', org.fromParam), async (c) =>
        c.json(
          await saveSegment(s.db, {
            orgId: c.var.orgId,
            input: await jsonBody(c),
            actor: c.var.actor,
            clock: s.clock,
          }),
          201,
        ),
      )
      .get('/orgs/:orgId/segments', permit(s, 'segment.read', org.fromParam), async (c) =>
        c.json({ items: await listSegments(s.db, { orgId: c.var.orgId }) }),
      )
      .get('/segments/:segmentId', permit(s, 'segment.read', org.ofSegment), async (c) =>
        c.json(await getSegment(s.db, { segmentId: c.req.param('segmentId') })),
      )
      .put('/segments/:segmentId', permit(s, 'segment.manage', org.ofSegment), async (c) =>
        c.json(
          await updateSegment(s.db, {
            segmentId: c.req.param('segmentId'),
            input: await jsonBody(c),
            actor: c.var.actor,
            clock: s.clock,
          }),
        ),
      )
      .delete('/segments/:segmentId', permit(s, 'segment.manage', org.ofSegment), async (c) =>
        c.json(
          await deleteSegment(s.db, {
            segmentId: c.req.param('segmentId'),
            actor: c.var.actor,
            clock: s.clock,
          }),
        ),
      )
      .get('/segments/:segmentId/count', permit(s, 'segment.count', org.ofSegment), async (c) => {
        const at = parseInput(atSchema, c.req.query('at'));
        return c.json(
          await countSavedSegment(s.db, { segmentId: c.req.param('segmentId'), at: toDate(at) }),
        );
      })
      .get(
        '/segments/:segmentId/preview',
        permit(s, 'segment.manage', org.ofSegment),
        async (c) => {
          const segment = await getSegment(s.db, { segmentId: c.req.param('segmentId') });
          const q = previewQuery(c);
          const items = await previewSegment(s.db, {
            orgId: segment.orgId,
            where: segment.filter,
            keys: s.keys,
            limit: q.limit,
            withIdentifiers: identifiersAllowed(c, q.identifiers),
            actor: c.var.actor,
          });
          return c.json({ items });
        },
      )
  );
}
