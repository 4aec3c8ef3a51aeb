// End to end on a real SMTP server: a campaign planned, dispatched, received, DKIM-verified;
// the notice names each recipient's own source; one-click unsubscribe works by POST only.
import { authenticate } from 'mailauth';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { dkimKeys, startSmtpSink } from '../../test/smtp-sink.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { listAuditEvents } from '../domain/audit/list-audit.ts';
import { recordConsent } from '../domain/consent/consent.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { campaignStatus, createCampaign, moveCampaign } from '../domain/outreach/campaigns.ts';
import { planCampaign } from '../domain/outreach/plan-campaign.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from '../http/app.ts';
import { smtpChannel } from './channels/smtp.ts';
import { Dispatcher } from './dispatcher.ts';

let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const files = tempDir();
const keys = dkimKeys(files.dir);
let orgId: string;
let segmentId: string;

const notice = {
  noticePurposes: 'vous informer de notre campagne municipale',
  noticeRecipients: 'l’équipe de campagne et notre prestataire d’envoi',
};

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  sink = await startSmtpSink();
  orgId = (await makeOrg(s, notice)).id;
  const members = await makeSource(s, orgId, {
    type: 'member_file',
    label: 'Fichier des adhérents 2026',
    obtainedOn: '2026-09-01',
  });
  const people = [
    { birthName: 'Martin', firstNames: 'Alice', email: 'alice@exemple.fr' },
    { birthName: 'Durand', firstNames: 'Bruno', email: 'bruno@exemple.fr' },
    { birthName: 'Petit', firstNames: 'Chloé', email: 'chloe@exemple.fr' },
    { birthName: 'Sans', firstNames: 'Adresse', phone: '+33612345678' },
    { birthName: 'Retiré', firstNames: 'Denis', email: 'denis@exemple.fr' },
  ];
  for (const identity of people) {
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: members.id,
      identity,
      actor: 'test',
    });
    if (identity.birthName === 'Retiré')
      await recordConsent(s.db, {
        orgId,
        contactId: id,
        entry: { channel: 'email', action: 'withdrawn', method: 'letter' },
        actor: 'test',
        clock: s.clock,
      });
  }
  segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
});
afterAll(async () => {
  await sink.close();
  await s.dispose();
  files.remove();
});

/** A header's value from a raw message, unfolded. */
function headerOf(raw: Buffer, name: string): string | undefined {
  const head = raw
    .toString('utf8')
    .split('\r\n\r\n')[0]!
    .replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

function dispatcher() {
  return new Dispatcher({
    db: s.db,
    keys: s.keys,
    clock: s.clock,
    channel: smtpChannel({ url: sink.url, dkim: keys }),
    publicUrl: 'https://isoloir.exemple-2027.fr',
    mailDomain: keys.domain,
    // As with ISOLOIR_INBOUND_SMTP_PORT set: replies to the mailto: address are processed.
    unsubscribeByReply: true,
  });
}

async function sendAll(campaignId: string) {
  const d = dispatcher();
  for (let i = 0; i < 20; i++) {
    await d.runOnce();
    if ((await campaignStatus(s.db, { campaignId })).state === 'done') return;
  }
  throw new Error('the campaign did not finish');
}

async function newCampaign(
  extra: Record<string, unknown> = {},
  attachments?: { fileName: string; content: Buffer }[],
) {
  return createCampaign(s.db, {
    orgId,
    input: {
      segmentId,
      fromName: 'Liste Exemple 2027',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Bonjour {{firstName}}',
      body: '# Réunion publique, {{firstName}}\n\nBonjour {{firstName}}, venez nous rencontrer jeudi.',
      ...extra,
    },
    attachments,
    actor: 'test',
    clock: s.clock,
  });
}

describe('email campaigns end to end', () => {
  it('sends one message per lawful recipient, each with one recipient, the notice, one-click headers and a valid DKIM signature', async () => {
    const campaign = await newCampaign();
    const plan = await planCampaign(s.db, {
      campaignId: campaign.id,
      actor: 'test',
      clock: s.clock,
    });
    expect(plan).toMatchObject({
      state: 'planned',
      recipients: 3,
      violations: [],
      exclusions: { no_address: 1, objected: 1, no_consent: 0 },
    });
    await moveCampaign(s.db, {
      campaignId: campaign.id,
      move: 'send',
      actor: 'test',
      clock: s.clock,
    });
    await sendAll(campaign.id);
    expect((await campaignStatus(s.db, { campaignId: campaign.id })).counts).toMatchObject({
      sent: 3,
      queued: 0,
      sending: 0,
    });
    expect(sink.received).toHaveLength(3);
    for (const message of sink.received) {
      expect(message.to).toHaveLength(1);
      const mail = await simpleParser(message.raw);
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual(
        message.to,
      );
      expect(mail.cc).toBeUndefined();
      expect(mail.bcc).toBeUndefined();
      expect(mail.subject).toMatch(/^Bonjour (Alice|Bruno|Chloé)$/);
      // NOT-2: the controller is named, whoever delivers the message.
      expect(mail.text).toMatch(
        /envoyé par Association Exemple pour 2027 .*responsable du traitement/,
      );
      // NOT-1: the source in public words and dates in French; the staff label stays internal.
      expect(mail.text).toMatch(
        /Votre adresse provient de : fichier de nos adhérents, obtenu le 1 septembre 2026\./,
      );
      expect(mail.text).not.toContain('Fichier des adhérents 2026');
      expect(mail.text).toMatch(/Finalité : vous informer de notre campagne municipale/);
      expect(mail.text).toMatch(/CNIL/);
      expect(mail.text).toMatch(/dpo@exemple-2027\.fr/);
      const first = mail.subject!.replace('Bonjour ', '');
      expect(mail.html).toContain(`Réunion publique, ${first}`);
      expect(mail.text).toContain(`Réunion publique, ${first}`);
      expect(mail.text).toContain(`Bonjour ${first}, venez`);
      expect(headerOf(message.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const listUnsubscribe = headerOf(message.raw, 'List-Unsubscribe')!;
      expect(listUnsubscribe).toMatch(
        /^<https:\/\/isoloir\.exemple-2027\.fr\/u\/[0-9a-f]{32}\.[\w-]{22}>, <mailto:unsubscribe\+/,
      );
      const verdict = await authenticate(message.raw, {
        ip: '127.0.0.1',
        helo: 'localhost',
        sender: 'contact@exemple-2027.fr',
        resolver: keys.resolver,
      } as Parameters<typeof authenticate>[1]);
      expect(
        verdict.dkim.results.map((r: { status: { result: string } }) => r.status.result),
      ).toEqual(['pass']);
      const signed = /(?:^|;)\s*h=([^;]+)/
        .exec(headerOf(message.raw, 'DKIM-Signature')!)![1]!
        .toLowerCase();
      expect(signed).toContain('list-unsubscribe');
      expect(signed).toContain('list-unsubscribe-post');
    }
  });

  it('changes nothing on GET of the unsubscribe link, and suppresses on POST, before answering', async () => {
    const app = createApp(s);
    const url = new URL(
      /^<([^>]+)>/.exec(headerOf(sink.received[0]!.raw, 'List-Unsubscribe')!)![1]!,
    );
    const before = await listAuditEvents(s.db, { orgId, action: 'objection.record' });
    const page = await app.request(url.pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post">/);
    expect(await listAuditEvents(s.db, { orgId, action: 'objection.record' })).toHaveLength(
      before.length,
    );
    const done = await app.request(url.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    expect(await listAuditEvents(s.db, { orgId, action: 'objection.record' })).toHaveLength(
      before.length + 1,
    );
    // The next campaign leaves that person out, as objected.
    const next = await newCampaign();
    const plan = await planCampaign(s.db, { campaignId: next.id, actor: 'test', clock: s.clock });
    expect(plan.recipients).toBe(2);
    expect(plan.exclusions.objected).toBe(2);
    expect(
      (await app.request('/u/0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA')).status,
    ).toBe(404);
  });

  it('blocks a campaign whose attachment holds emails or phone numbers (SEC-3), whatever its name', async () => {
    const csv = Buffer.from('Nom;Email;Téléphone\nMartin;alice@exemple.fr;06 12 34 56 78\n');
    const campaign = await newCampaign({}, [{ fileName: 'programme.pdf', content: csv }]);
    const plan = await planCampaign(s.db, {
      campaignId: campaign.id,
      actor: 'test',
      clock: s.clock,
    });
    expect(plan.state).toBe('draft');
    expect(plan.recipients).toBe(0);
    expect(plan.violations).toEqual([
      expect.objectContaining({
        rule: 'SEC-3',
        message: expect.stringMatching(/programme\.pdf.*email address.*phone number/),
      }),
    ]);
    expect(JSON.stringify(plan)).not.toContain('alice@');
  });
});
