// Email campaigns: create (JSON; attachments as base64), plan, send, pause, resume, cancel, status,
// resend-unknown.
import { Hono } from 'hono';
import { z } from 'zod';
import {
  campaignStatus,
  createCampaign,
  getCampaign,
  listCampaigns,
  moveCampaign,
  resendUnknown,
} from '../../domain/outreach/campaigns.ts';
import { planCampaign } from '../../domain/outreach/plan-campaign.ts';
import { previewCampaign } from '../../domain/outreach/preview-campaign.ts';
import { mailDomainOf } from '../../dispatch/create-dispatcher.ts';
import { recordObjection } from '../../domain/objections/objections.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

const attachmentsSchema = z
  .array(
    z
      .object({
        fileName: z.string(),
        contentType: z
          .string()
          .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as application/pdf')
          .optional(),
        contentBase64: z.base64('must be base64').max(14_000_000, 'at most 10 MB'),
      })
      .strict(),
  )
  .max(10, 'at most 10 attachments')
  .default([]);

export function campaignRoutes(s: Services) {
  const move =
    (name: 'send' | 'pause' | 'resume' | 'cancel') =>
    async (c: {
      req: { param: (k: string) => string };
      var: AuthVariables;
      json: (v: unknown) => Response;
    }) =>
      c.json(
        await moveCampaign(s.db, {
          campaignId: c.req.param('campaignId'),
          move: name,
          actor: c.var.actor,
          clock: s.clock,
        }),
      );
  return (
    new Hono<{ Variables: AuthVariables }>()
      .post('/orgs/:orgId/campaigns', permit(s, 'campaign.manage', org.fromParam), async (c) => {
        const body = (await jsonBody(c)) as Record<string, unknown> | null;
        const { attachments: raw, ...input } = body && typeof body === 'object' ? body : {};
        const attachments = parseInput(attachmentsSchema, raw).map((a) => ({
          fileName: a.fileName,
          ...(a.contentType ? { contentType: a.contentType } : {}),
          content: Buffer.from(a.contentBase64, 'base64'),
        }));
        const created = await createCampaign(s.db, {
          orgId: c.var.orgId,
          input,
          attachments,
          actor: c.var.actor,
          clock: s.clock,
        });
        return c.json(created, 201);
      })
      .get('/orgs/:orgId/campaigns', permit(s, 'campaign.read', org.fromParam), async (c) =>
        c.json({ items: await listCampaigns(s.db, { orgId: c.var.orgId }) }),
      )
      .get('/campaigns/:campaignId', permit(s, 'campaign.read', org.ofCampaign), async (c) =>
        c.json(await getCampaign(s.db, { campaignId: c.req.param('campaignId') })),
      )
      // The exact message for one sample recipient: their identifiers, so the permission to see them.
      .get(
        '/campaigns/:campaignId/preview',
        permit(s, 'segment.preview_identifiers', org.ofCampaign),
        async (c) =>
          c.json(
            await previewCampaign(s.db, {
              keys: s.keys,
              campaignId: c.req.param('campaignId'),
              publicUrl: s.email.publicUrl,
              mailDomain: mailDomainOf(s.email),
              unsubscribeByReply: s.email.unsubscribeByReply,
              actor: c.var.actor,
              clock: s.clock,
            }),
          ),
      )
      .get('/campaigns/:campaignId/status', permit(s, 'campaign.read', org.ofCampaign), async (c) =>
        c.json(await campaignStatus(s.db, { campaignId: c.req.param('campaignId') })),
      )
      .post(
        '/campaigns/:campaignId/plan',
        permit(s, 'campaign.manage', org.ofCampaign),
        async (c) => {
          const plan = await planCampaign(s.db, {
            campaignId: c.req.param('campaignId'),
            actor: c.var.actor,
            clock: s.clock,
          });
          // A plan that a rule blocks is still an answer: 422 with every violation and its rule id.
          return c.json(plan, plan.violations.length ? 422 : 200);
        },
      )
      .post('/campaigns/:campaignId/send', permit(s, 'campaign.send', org.ofCampaign), move('send'))
      .post(
        '/campaigns/:campaignId/pause',
        permit(s, 'campaign.send', org.ofCampaign),
        move('pause'),
      )
      .post(
        '/campaigns/:campaignId/resume',
        permit(s, 'campaign.send', org.ofCampaign),
        move('resume'),
      )
      .post(
        '/campaigns/:campaignId/cancel',
        permit(s, 'campaign.send', org.ofCampaign),
        move('cancel'),
      )
      // An explicit decision to offer unknown outcomes again: a second copy is possible.
      .post(
        '/campaigns/:campaignId/resend-unknown',
        permit(s, 'campaign.send', org.ofCampaign),
        async (c) =>
          c.json(
            await resendUnknown(s.db, {
              campaignId: c.req.param('campaignId'),
              actor: c.var.actor,
              clock: s.clock,
            }),
          ),
      )
      // Objections by letter, reply or phone, recorded by staff (OPT-1).
      .post('/orgs/:orgId/objections', permit(s, 'objection.record', org.fromParam), async (c) =>
        c.json(
          await recordObjection(s.db, {
            keys: s.keys,
            orgId: c.var.orgId,
            input: await jsonBody(c),
            actor: c.var.actor,
            clock: s.clock,
          }),
          201,
        ),
      )
  );
}
