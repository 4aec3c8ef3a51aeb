// Set-up for the send engine's tests: an organisation ready to send and its audience, a campaign
// planned and moved to `sending` for it, a fake channel that records what it is handed (its answer
// is the hook to hold or fail a send), and a dispatcher on the test's services. Values are
// synthetic.
import { addContact } from '../src/domain/contacts/contacts.ts';
import type { OutgoingEmail } from '../src/domain/outreach/compose.ts';
import { createCampaign, moveCampaign } from '../src/domain/outreach/campaigns.ts';
import { planCampaign } from '../src/domain/outreach/plan-campaign.ts';
import { saveSegment } from '../src/domain/segments/segments.ts';
import type { Channel, SendResult } from '../src/dispatch/channel.ts';
import { Dispatcher, type DispatcherOptions } from '../src/dispatch/dispatcher.ts';
import type { Services } from '../src/services.ts';
import { makeOrg, makeSource } from './factories.ts';

export type Audience = {
  orgId: string;
  segmentId: string;
  people: { id: string; email: string }[];
};

/**
 * An organisation ready to send (notice complete), `n` supporters with an email
 * (p0@<tag>.example, ...), a segment of all.
 */
export async function makeAudience(s: Services, n: number, tag = 'unknown'): Promise<Audience> {
  const orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
  const source = await makeSource(s, orgId, { type: 'supporter_signup' });
  const people: Audience['people'] = [];
  for (let i = 0; i < n; i++) {
    const email = `p${i}@${tag}.example`;
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: `N${i}`, email },
      actor: 'test',
    });
    people.push({ id, email });
  }
  const segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
  return { orgId, segmentId, people };
}

/**
 * A campaign to `audience`'s segment (`input` overrides its fields), planned and moved to
 * `sending`: its id. Throws if the plan has violations, or does not reach `options.recipients`.
 */
export async function makeSendingCampaign(
  s: Services,
  audience: Pick<Audience, 'orgId' | 'segmentId'>,
  input: Record<string, unknown> = {},
  options: { recipients?: number } = {},
): Promise<string> {
  const campaign = await createCampaign(s.db, {
    orgId: audience.orgId,
    input: {
      segmentId: audience.segmentId,
      fromName: 'Liste',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Bonjour',
      body: 'Bonjour',
      ...input,
    },
    actor: 'test',
    clock: s.clock,
  });
  const plan = await planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock });
  if (plan.violations.length) throw new Error(`plan blocked: ${plan.violations[0]!.rule}`);
  if (options.recipients !== undefined && plan.recipients !== options.recipients)
    throw new Error(`planned ${plan.recipients} of ${options.recipients}`);
  await moveCampaign(s.db, {
    campaignId: campaign.id,
    move: 'send',
    actor: 'test',
    clock: s.clock,
  });
  return campaign.id;
}

export type FakeChannel = Channel & {
  /** Every address handed to the channel, in order, whatever the answer. */
  handed: string[];
  /** The addresses whose send was answered ok. */
  sent: string[];
};

/**
 * A channel that answers each message with `answer` (ok by default): the hook to hold, fail or
 * watch a send. Records what it was handed and what went out.
 */
export function fakeChannel(
  answer: (m: OutgoingEmail) => SendResult | Promise<SendResult> = () => ({ ok: true }),
  options: { name?: string; capacity?: number } = {},
): FakeChannel {
  const handed: string[] = [];
  const sent: string[] = [];
  return {
    name: options.name ?? 'fake',
    capacity: options.capacity ?? 5,
    handed,
    sent,
    async send(m) {
      handed.push(m.to);
      const result = await answer(m);
      if (result.ok) sent.push(m.to);
      return result;
    },
    async close() {},
  };
}

/** A dispatcher on the test's services and clock, sending through `channel`. */
export function makeDispatcher(
  s: Services,
  channel: Channel,
  extra: Partial<DispatcherOptions> = {},
): Dispatcher {
  return new Dispatcher({
    db: s.db,
    keys: s.keys,
    clock: s.clock,
    channel,
    publicUrl: 'https://x.example',
    mailDomain: 'x.example',
    ...extra,
  });
}

/** `p`, or a failure naming `what` should it take more than `ms`: turns a hang into a failure. */
export function withinHang<T>(p: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`hung: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
