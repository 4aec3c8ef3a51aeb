// Set-up for the voter side's tests (issue 15: a message's page, its report, rights requests):
// messages that exist, to open, report or ask about. `sendToAudience` sends a campaign to an
// audience through the send engine (on a fake channel) and answers each person's message
// reference; `storedMessage` writes one outbox row straight, for a message the engine would not
// send (a contact with no reachable address, an organisation with no notice, no contact at all).
// Written once here so that every such test builds its messages alike. Values are synthetic.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { outbox } from '../src/db/schema/index.ts';
import type { Channel } from '../src/dispatch/channel.ts';
import { createCampaign } from '../src/domain/outreach/campaigns.ts';
import { saveSegment } from '../src/domain/segments/segments.ts';
import type { Services } from '../src/services.ts';
import { fakeChannel, makeDispatcher, makeSendingCampaign, type Audience } from './sending.ts';

/**
 * A campaign to `audience`'s segment (`input` overrides its fields, `recipients` as
 * makeSendingCampaign takes it), sent through a dispatcher on `channel` (ok to all by default)
 * until nothing is left: the campaign's id, and the reference of the message of each of
 * `audience.people`, in their order. Throws if a message of the campaign was not sent.
 */
export async function sendToAudience(
  s: Services,
  audience: Pick<Audience, 'orgId' | 'segmentId'> & { people: readonly { id: string }[] },
  options: { input?: Record<string, unknown>; channel?: Channel; recipients?: number } = {},
): Promise<{ campaignId: string; refs: string[] }> {
  const campaignId = await makeSendingCampaign(
    s,
    audience,
    options.input,
    options.recipients === undefined ? {} : { recipients: options.recipients },
  );
  const dispatcher = makeDispatcher(s, options.channel ?? fakeChannel());
  try {
    while ((await dispatcher.runOnce()) > 0);
  } finally {
    await dispatcher.close();
  }
  const rows = await s.db
    .select({ contactId: outbox.contactId, ref: outbox.messageRef, state: outbox.state })
    .from(outbox)
    .where(eq(outbox.campaignId, campaignId));
  const unsent = rows.filter((r) => r.state !== 'sent');
  if (unsent.length) throw new Error(`not sent: ${unsent.map((r) => r.state).join(', ')}`);
  const refs = audience.people.map((p) => {
    const row = rows.find((r) => r.contactId === p.id);
    if (!row?.ref) throw new Error(`no message to ${p.id}`);
    return row.ref;
  });
  return { campaignId, refs };
}

/**
 * One message of `orgId` written straight into the outbox: a campaign to a segment of all, and a
 * row to `contactId` (null: no contact) in `state` (sent on 20 November 2026 when sent), recording
 * `sourceId` as the source that supplied the address when given. Its reference.
 */
export async function storedMessage(
  s: Services,
  options: {
    orgId: string;
    contactId: string | null;
    state?: 'queued' | 'sent';
    sourceId?: string;
  },
): Promise<string> {
  const { orgId, contactId, state = 'sent', sourceId = null } = options;
  const segment = await saveSegment(s.db, {
    orgId,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  const campaign = await createCampaign(s.db, {
    orgId,
    input: {
      segmentId: segment.id,
      fromName: 'Exemple',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Réunion',
      body: 'Bonjour',
    },
    actor: 'test',
    clock: s.clock,
  });
  const ref = randomBytes(16).toString('hex');
  const sentAt = state === 'sent' ? '2026-11-20T09:00:00Z' : null;
  await s.db.execute(sql`
    insert into outbox (campaign_id, org_id, contact_id, channel, message_ref, state, sent_at, source_id, updated_at)
    values (${campaign.id}, ${orgId}, ${contactId}, 'email', ${ref}, ${state}, ${sentAt}, ${sourceId}, now())`);
  return ref;
}
