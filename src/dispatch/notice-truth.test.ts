// The notice tells the truth (NOT-1, RET-2, GDPR art. 13(1)(c)), end to end on a real SMTP
// server: it names the source that supplied the address the message goes to, in public words,
// with that source's retention date (from the first message actually sent) and the legal basis;
// without a known source nothing is sent. The preview shows the same notice.
import { eq, sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { callerOf, makeStaff } from '../../test/staff.ts';
import { ELECTORAL_HEADERS, ELECTORAL_ROW, tempDir, writeCsv } from '../../test/files.ts';
import { dkimKeys, startSmtpSink } from '../../test/smtp-sink.ts';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { contacts, outbox } from '../db/schema/index.ts';
import { recordConsent } from '../domain/consent/consent.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { importContacts } from '../domain/contacts/import/import-contacts.ts';
import { campaignStatus, createCampaign, moveCampaign } from '../domain/outreach/campaigns.ts';
import { planCampaign } from '../domain/outreach/plan-campaign.ts';
import { previewCampaign } from '../domain/outreach/preview-campaign.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from '../http/app.ts';
import { smtpChannel } from './channels/smtp.ts';
import { Dispatcher } from './dispatcher.ts';

let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let now = new Date('2026-11-24T10:00:00Z');
const files = tempDir();
const keys = dkimKeys(files.dir);
const cli = cliRunner(() => s);

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
  await s.dispose();
  files.remove();
});

const notice = {
  noticePurposes: 'vous informer de notre campagne municipale',
  noticeRecipients: 'l’équipe de campagne',
};
const political = {
  channel: 'email',
  action: 'granted',
  wording: 'J’accepte de recevoir des messages politiques par email',
  method: 'canvasser',
  place: 'porte-à-porte',
  evidence: 'fiche 7',
};

async function campaignFor(orgId: string) {
  const segmentId = (
    await saveSegment(s.db, {
      orgId,
      input: { name: `Tous ${Math.random()}`, where: { and: [] } },
      actor: 'test',
    })
  ).id;
  return createCampaign(s.db, {
    orgId,
    input: {
      segmentId,
      fromName: 'Liste Exemple 2027',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Bonjour {{firstName}}',
      body: 'Venez nous rencontrer jeudi.',
    },
    actor: 'test',
    clock: s.clock,
  });
}

/** Plans, sends and returns the plain text of what each recipient received. */
async function send(campaignId: string) {
  const plan = await planCampaign(s.db, { campaignId, actor: 'test', clock: s.clock });
  expect(plan.violations).toEqual([]);
  await moveCampaign(s.db, { campaignId, move: 'send', actor: 'test', clock: s.clock });
  const before = sink.received.length;
  const d = new Dispatcher({
    db: s.db,
    keys: s.keys,
    clock: s.clock,
    channel: smtpChannel({ url: sink.url, dkim: keys }),
    publicUrl: 'https://isoloir.exemple-2027.fr',
    mailDomain: keys.domain,
  });
  for (let i = 0; i < 10; i++) {
    await d.runOnce();
    if ((await campaignStatus(s.db, { campaignId })).state === 'done') break;
  }
  return Promise.all(
    sink.received.slice(before).map(async (m) => (await simpleParser(m.raw)).text ?? ''),
  );
}

const line = (text: string, start: string) =>
  text.split('\n').find((l) => l.startsWith(start)) ?? '';

async function consented(orgId: string, sourceId: string, identity: object) {
  const { id } = await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId,
    identity,
    actor: 'test',
  });
  await recordConsent(s.db, {
    orgId,
    contactId: id,
    entry: political,
    actor: 'test',
    clock: s.clock,
  });
  return id;
}

describe('the notice tells the truth (NOT-1, RET-2)', () => {
  it('NOT-1: a member’s email merged into a contact first imported from an electoral list: the notice names the member file, not the electoral list', async () => {
    const org = await makeOrg(s, notice);
    const election = await makeElection(s, org.id, { territory: ['44109'] });
    const electoral = await makeSource(s, org.id, {
      type: 'electoral_list',
      label: 'LE Nantes',
      electionId: election.id,
      obtainedOn: '2026-01-10',
    });
    const members = await makeSource(s, org.id, {
      type: 'member_file',
      label: 'Adhérents de Paul',
      obtainedOn: '2026-09-01',
    });
    const run = (sourceId: string, name: string, rows: string[][]) =>
      importContacts(s.db, {
        keys: s.keys,
        sourceId,
        file: writeCsv(files.file(name), rows),
        actor: 'test',
        clock: s.clock,
      });
    await run(electoral.id, 'electoral.csv', [ELECTORAL_HEADERS, ELECTORAL_ROW]);
    const merged = await run(members.id, 'members.csv', [
      ['NomDeNaissance', 'Prenoms', 'DateDeNaissance', 'CodeCommune', 'Email'],
      ['MARTIN', 'Zoé', '12/12/1999', '44109', 'zoe@exemple.fr'],
    ]);
    expect(merged).toMatchObject({ merged: 1 });
    const [text] = await send((await campaignFor(org.id)).id);
    expect(line(text!, 'Votre adresse provient de')).toBe(
      'Votre adresse provient de : fichier de nos adhérents, obtenu le 1 septembre 2026.',
    );
    expect(text).not.toContain('liste électorale');
    expect(text).not.toContain('LE Nantes');
    expect(text).not.toContain('Paul');
    // A member: the political body's legitimate activities, kept until the relationship ends.
    expect(line(text!, 'Base légale')).toMatch(/art\. 9\(2\)\(d\)/);
    expect(text).toContain('Vos données sont conservées jusqu’à la fin de notre relation.');
  });

  it('NOT-1: with no known source for the address, the message is not sent, recorded as failed under NOT-1 without personal data, and planning counts it', async () => {
    const org = await makeOrg(s, notice);
    const door = await makeSource(s, org.id, { type: 'door_to_door' });
    const id = await consented(org.id, door.id, {
      birthName: 'Inconnu',
      email: 'sans-source@exemple.fr',
    });
    const campaign = await campaignFor(org.id);
    expect(
      (await planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock }))
        .recipients,
    ).toBe(1);
    // The address's source becomes unknown after planning (e.g. a row the backfill could not place).
    await s.db.execute(
      sql`update contacts set email_source_id = null, email_source_type = null where id = ${id}`,
    );
    await moveCampaign(s.db, {
      campaignId: campaign.id,
      move: 'send',
      actor: 'test',
      clock: s.clock,
    });
    const before = sink.received.length;
    await new Dispatcher({
      db: s.db,
      keys: s.keys,
      clock: s.clock,
      channel: smtpChannel({ url: sink.url, dkim: keys }),
      publicUrl: 'https://isoloir.exemple-2027.fr',
      mailDomain: keys.domain,
    }).runOnce();
    expect(sink.received.length).toBe(before);
    const [row] = await s.db.select().from(outbox).where(eq(outbox.campaignId, campaign.id));
    expect(row!.state).toBe('failed');
    expect(row!.lastError).toMatch(/^NOT-1: /);
    expect(row!.lastError).not.toContain('exemple.fr');
    // A new plan excludes them, counted as having no known source.
    const again = await planCampaign(s.db, {
      campaignId: (await campaignFor(org.id)).id,
      actor: 'test',
      clock: s.clock,
    });
    expect(again).toMatchObject({ recipients: 0, exclusions: { no_source: 1 } });
  });

  it('NOT-1: the notice describes the source in public words (type, date, public description) and never its staff label', async () => {
    const org = await makeOrg(s, notice);
    const created = await cli(
      'source',
      'create',
      '--org',
      org.id,
      '--type',
      'door_to_door',
      '--label',
      'Porte-à-porte de Jean Dupont',
      '--obtained',
      '2026-11-02',
      '--public-description',
      'recueilli lors de nos réunions publiques',
      '--json',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({
      publicDescription: 'recueilli lors de nos réunions publiques',
    });
    await consented(org.id, created.json().id, {
      firstNames: 'Léa',
      birthName: 'Public',
      email: 'lea@exemple.fr',
    });
    const [text] = await send((await campaignFor(org.id)).id);
    expect(line(text!, 'Votre adresse provient de')).toBe(
      'Votre adresse provient de : rencontre lors de notre porte-à-porte, obtenue le 2 novembre 2026 (recueilli lors de nos réunions publiques).',
    );
    expect(text).not.toContain('Jean Dupont');
    // Consent recorded for email: that is the legal basis stated.
    expect(line(text!, 'Base légale')).toBe(
      'Base légale : votre consentement (RGPD, art. 6(1)(a) et 9(2)(a)).',
    );
    // The public description is plain text and length-limited.
    const long = await cli(
      'source',
      'create',
      '--org',
      org.id,
      '--type',
      'door_to_door',
      '--label',
      'x',
      '--public-description',
      'a'.repeat(301),
    );
    expect(long.code).not.toBe(0);
    expect(long.stderr).toMatch(/publicDescription/);
    // The same field through the HTTP API.
    const owner = await makeStaff(s, org.id, 'owner');
    const viaHttp = await callerOf(createApp(s))(owner, 'POST', `/api/orgs/${org.id}/sources`, {
      type: 'member_file',
      label: 'Adhérents (fichier de Marie)',
      publicDescription: 'fichier de nos adhérents à jour de cotisation',
    });
    expect(viaHttp.status).toBe(201);
    expect(viaHttp.body.publicDescription).toBe('fichier de nos adhérents à jour de cotisation');
  });

  it('RET-2: the retention date is two months after the first message sent, and the same on the second message', async () => {
    now = new Date('2026-11-24T10:00:00Z');
    const org = await makeOrg(s, notice);
    const door = await makeSource(s, org.id, { type: 'door_to_door', obtainedOn: '2026-11-01' });
    const id = await consented(org.id, door.id, { birthName: 'Durée', email: 'duree@exemple.fr' });
    const [first] = await send((await campaignFor(org.id)).id);
    expect(first).toContain('Vos données sont conservées jusqu’au 24 janvier 2027.');
    const [row] = await s.db.select().from(contacts).where(eq(contacts.id, id));
    expect(row!.firstMessageAt?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    now = new Date('2026-12-10T09:00:00Z');
    try {
      const [second] = await send((await campaignFor(org.id)).id);
      expect(second).toContain('Vos données sont conservées jusqu’au 24 janvier 2027.');
      const [after] = await s.db.select().from(contacts).where(eq(contacts.id, id));
      expect(after!.firstMessageAt?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    } finally {
      now = new Date('2026-11-24T10:00:00Z');
    }
  });

  it('NOT-1: the campaign preview shows the same notice as the sent message', async () => {
    const org = await makeOrg(s, notice);
    const door = await makeSource(s, org.id, { type: 'door_to_door', obtainedOn: '2026-10-05' });
    await consented(org.id, door.id, {
      firstNames: 'Paul',
      birthName: 'Aperçu',
      email: 'apercu@exemple.fr',
    });
    const campaign = await campaignFor(org.id);
    const preview = await previewCampaign(s.db, {
      keys: s.keys,
      campaignId: campaign.id,
      publicUrl: 'https://isoloir.exemple-2027.fr',
      mailDomain: keys.domain,
      actor: 'test',
      clock: s.clock,
    });
    const [sent] = await send(campaign.id);
    const noticeOf = (text: string) =>
      text
        .split('\n')
        .filter((l) =>
          /provient de|Base légale|conservées|Finalité|responsable du traitement/.test(l),
        )
        .join('\n');
    expect(noticeOf(preview.text)).toContain('obtenue le 5 octobre 2026');
    expect(noticeOf(preview.text)).toContain('Base légale');
    expect(noticeOf(preview.text)).toBe(noticeOf(sent!));
  });

  it('GDPR art. 13(1)(c): the privacy page states the legal basis of each source type', async () => {
    const org = await makeOrg(s, notice);
    await makeSource(s, org.id, { type: 'member_file', label: 'Adhérents de Paul' });
    const page = await (await createApp(s).request(`/privacy/${org.id}`)).text();
    expect(page).toContain('Base légale (RGPD, art. 13(1)(c))');
    expect(page).toContain('votre consentement (RGPD, art. 6(1)(a) et 9(2)(a))');
    expect(page).toMatch(
      /fichier des adhérents:\s*les activités légitimes d’un organisme politique/,
    );
    expect(page).toContain('art. 9(2)(d)');
    expect(page).not.toContain('Paul');
  });
});
