// OPT-1: a message advertises only ways of objecting that are processed. Replies to the mailto:
// unsubscribe address are read only by the inbound SMTP listener (ISOLOIR_INBOUND_SMTP_PORT): when
// it is not configured, List-Unsubscribe carries the https one-click link alone, through the
// server's send engine, the CLI's `campaign send --wait` and the composer's preview; and the page
// of a broken link does not tell people to reply. With the listener, the mailto address is offered
// and the page names the unsubscribe address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { startSmtpSink } from '../../test/smtp-sink.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { loadConfig } from '../config.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { campaignStatus, createCampaign, moveCampaign } from '../domain/outreach/campaigns.ts';
import { planCampaign } from '../domain/outreach/plan-campaign.ts';
import { previewCampaign } from '../domain/outreach/preview-campaign.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from '../http/app.ts';
import type { Services } from '../services.ts';
import type { Channel } from './channel.ts';
import { createDispatcher, mailDomainOf } from './create-dispatcher.ts';

let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let orgId: string;
let segmentId: string;
const PUBLIC = 'https://isoloir.exemple-2027.fr';

/** The settings a deployment reads, with or without the inbound listener. */
const emailSettings = (inbound: boolean): Services['email'] =>
  loadConfig({
    ISOLOIR_PUBLIC_URL: PUBLIC,
    ISOLOIR_MASTER_KEY: 'ab'.repeat(32),
    ...(inbound ? { ISOLOIR_INBOUND_SMTP_PORT: '2525' } : {}),
  }).email;
const servicesWith = (inbound: boolean): Services => ({ ...s, email: emailSettings(inbound) });

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  sink = await startSmtpSink();
  orgId = (
    await makeOrg(s, {
      noticePurposes: 'vous informer de notre campagne municipale',
      noticeRecipients: 'l’équipe de campagne et notre prestataire d’envoi',
    })
  ).id;
  const members = await makeSource(s, orgId, { type: 'member_file' });
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: members.id,
    identity: { birthName: 'Martin', firstNames: 'Alice', email: 'alice@exemple.fr' },
    actor: 'test',
  });
  segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
});
afterAll(async () => {
  await sink.close();
  await s.dispose();
});

async function sendingCampaign() {
  const campaign = await createCampaign(s.db, {
    orgId,
    input: {
      segmentId,
      fromName: 'Liste Exemple 2027',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Réunion',
      body: 'Bonjour, venez nous rencontrer jeudi.',
    },
    actor: 'test',
    clock: s.clock,
  });
  const plan = await planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock });
  expect(plan.violations).toEqual([]);
  return campaign.id;
}

/** The List-Unsubscribe header of the one message the server's send engine sends. */
async function sentHeader(services: Services) {
  const campaignId = await sendingCampaign();
  await moveCampaign(s.db, { campaignId, move: 'send', actor: 'test', clock: s.clock });
  const sent: string[] = [];
  const capture: Channel = {
    name: 'capture',
    capacity: 5,
    send: async (m) => (sent.push(m.headers['List-Unsubscribe']!), { ok: true }),
    close: async () => {},
  };
  const d = createDispatcher(services, { channel: capture });
  for (let i = 0; i < 10 && (await campaignStatus(s.db, { campaignId })).state !== 'done'; i++)
    await d.runOnce();
  await d.close();
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

/** The List-Unsubscribe header of the message `isoloir campaign send --wait` sends over SMTP. */
async function cliHeader(services: Services) {
  const campaignId = await sendingCampaign();
  const before = sink.received.length;
  const cli = cliRunner(() => ({ ...services, email: { ...services.email, smtpUrl: sink.url } }));
  const r = await cli('campaign', 'send', campaignId, '--wait', '--json');
  expect(r.code, r.stderr).toBe(0);
  expect(sink.received.length).toBe(before + 1);
  const head = sink.received
    .at(-1)!
    .raw.toString('utf8')
    .split('\r\n\r\n')[0]!
    .replace(/\r\n[ \t]+/g, ' ');
  return head
    .split('\r\n')
    .find((l) => l.toLowerCase().startsWith('list-unsubscribe:'))!
    .slice('list-unsubscribe:'.length)
    .trim();
}

const previewHeader = async (services: Services) =>
  (
    await previewCampaign(s.db, {
      keys: s.keys,
      campaignId: await sendingCampaign(),
      publicUrl: services.email.publicUrl,
      mailDomain: mailDomainOf(services.email),
      unsubscribeByReply: services.email.unsubscribeByReply,
      actor: 'test',
      clock: s.clock,
    })
  ).headers['List-Unsubscribe'];

const LINK_ONLY = /^<https:\/\/isoloir\.exemple-2027\.fr\/u\/[0-9a-f]{32}\.[\w-]{22}>$/;
const LINK_AND_MAILTO =
  /^<https:\/\/isoloir\.exemple-2027\.fr\/u\/([0-9a-f]{32}\.[\w-]{22})>, <mailto:unsubscribe\+([0-9a-f]{32}\.[\w-]{22})@isoloir\.exemple-2027\.fr\?subject=unsubscribe>$/;

describe('List-Unsubscribe offers only what is processed (OPT-1)', () => {
  it('OPT-1: without the inbound SMTP listener, List-Unsubscribe offers the one-click link only, from the server, the CLI and the preview', async () => {
    const services = servicesWith(false);
    expect(await sentHeader(services)).toMatch(LINK_ONLY);
    expect(await cliHeader(services)).toMatch(LINK_ONLY);
    expect(await previewHeader(services)).toBe(`<${PUBLIC}/u/preview>`);
  });

  it('OPT-1: with ISOLOIR_INBOUND_SMTP_PORT set, List-Unsubscribe also offers the mailto address the listener processes', async () => {
    const services = servicesWith(true);
    for (const header of [await sentHeader(services), await cliHeader(services)]) {
      const [, link, mailto] = LINK_AND_MAILTO.exec(header) ?? [];
      expect(link).toBeDefined();
      expect(mailto).toBe(link);
    }
    expect(await previewHeader(services)).toBe(
      `<${PUBLIC}/u/preview>, <mailto:unsubscribe+preview@isoloir.exemple-2027.fr?subject=unsubscribe>`,
    );
  });

  it('OPT-1: the page of a broken link tells people to reply only when replies are processed, and then names the unsubscribe address', async () => {
    const broken = '/u/0123456789abcdef0123456789abcdef.AAAA';
    const without = await (await createApp(servicesWith(false)).request(broken)).text();
    expect(without).toMatch(/copiez le lien entier/);
    expect(without).not.toMatch(/répondez|reply|unsubscribe\+/i);
    const withListener = await (await createApp(servicesWith(true)).request(broken)).text();
    expect(withListener).not.toMatch(/répondez au message|reply to the message/i);
    expect(withListener).toMatch(/unsubscribe\+…@isoloir\.exemple-2027\.fr/);
  });
});
