// Permission is per channel and per address (SRC-3, CH-CONSENT, CH-EMAIL, CH-PHONE): each
// identifier carries the source that supplied it, through every writer (import, merge,
// addContact), and counts, plans, the send engine and volunteer lists read it the same way.
import fs from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeElection, makeOrg, makeSource } from '../../../test/factories.ts';
import { ELECTORAL_HEADERS, ELECTORAL_ROW, tempDir, writeCsv } from '../../../test/files.ts';
import { makeStaff } from '../../../test/staff.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { contacts, outbox } from '../../db/schema/index.ts';
import type { Channel as SendChannel, SendResult } from '../../dispatch/channel.ts';
import { Dispatcher } from '../../dispatch/dispatcher.ts';
import { createAssignment, readAssignedContacts } from '../assignments/assignments.ts';
import { createCampaign, moveCampaign } from '../outreach/campaigns.ts';
import { planCampaign } from '../outreach/plan-campaign.ts';
import { countSegment } from '../segments/count.ts';
import { saveSegment } from '../segments/segments.ts';
import { deleteSource } from '../sources/delete-source.ts';
import { addContact, getContact } from './contacts.ts';
import { importContacts } from './import/import-contacts.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const notice = {
  noticePurposes: 'vous informer de notre campagne',
  noticeRecipients: 'l’équipe de campagne',
};
const political = 'J’accepte de recevoir des messages politiques de la liste';

const run = (sourceId: string, name: string, rows: string[][]) =>
  importContacts(s.db, {
    keys: s.keys,
    sourceId,
    file: writeCsv(files.file(name), rows),
    actor: 'test',
    clock: s.clock,
  });

async function everyone(orgId: string) {
  return (
    await saveSegment(s.db, {
      orgId,
      input: { name: `Tous ${Math.random()}`, where: { and: [] } },
      actor: 'test',
    })
  ).id;
}

const reach = async (orgId: string) =>
  (await countSegment(s.db, { orgId, where: { and: [] } })).reachable;

describe('permission per channel and per address (SRC-3)', () => {
  it('SRC-3 / CH-PHONE: a purchased phone number needs phone consent to be called (counts and volunteer phoning lists)', async () => {
    const org = await makeOrg(s, notice);
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await run(bought.id, 'bought-phones.csv', [
      ['Nom', 'Prénom', 'Téléphone', 'Consentement téléphone', 'Libellé consentement'],
      ['APPEL', 'Oui', '+33611000001', 'oui', political],
      ['APPEL', 'Non', '+33611000002', 'non', political],
      ['APPEL', 'Vide', '+33611000003', '', political],
    ]);
    expect(summary).toMatchObject({ imported: 3, consents: { phone: 1 } });
    expect(await reach(org.id)).toMatchObject({ phone: 1, sms: 0 });

    const volunteer = await makeStaff(s, org.id, 'volunteer');
    const assignment = await createAssignment(s.db, {
      orgId: org.id,
      input: {
        volunteerId: volunteer.userId,
        task: 'phoning',
        segmentId: await everyone(org.id),
        label: 'Appels',
        limit: 50,
      },
      actor: 'test',
      clock: s.clock,
    });
    const list = await readAssignedContacts(s.db, {
      keys: s.keys,
      assignmentId: assignment.id,
      userId: volunteer.userId,
      actor: 'test',
      clock: s.clock,
    });
    expect(list.items.map((i) => i.firstNames)).toEqual(['Oui']);
  });

  it('SRC-3: a purchased phone number needs SMS consent to be texted, and SMS consent does not make it callable (counts)', async () => {
    const org = await makeOrg(s, notice);
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    await run(bought.id, 'bought-sms.csv', [
      ['Nom', 'Téléphone', 'Consentement SMS', 'Libellé consentement'],
      ['TEXTO', '+33612000001', 'oui', political],
      ['TEXTO', '+33612000002', 'non', political],
    ]);
    expect(await reach(org.id)).toMatchObject({ sms: 1, phone: 0 });
  });

  it('SRC-3: a purchased postal address needs post consent for letters and door-to-door lists', async () => {
    const org = await makeOrg(s, notice);
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    await run(bought.id, 'bought-post.csv', [
      ['Nom', 'Adresse', 'Code postal', 'Consentement courrier', 'Libellé consentement'],
      ['POSTE', '1 rue Haute', '69001', 'oui', political],
      ['POSTE', '2 rue Basse', '69001', 'non', political],
    ]);
    expect(await reach(org.id)).toMatchObject({ post: 1 });
  });

  it('CH-EMAIL: a purchased email with consent "non" merged into a member stays unreachable (count, plan and send)', async () => {
    const org = await makeOrg(s, notice);
    const members = await makeSource(s, org.id, { type: 'member_file' });
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    await run(members.id, 'members.csv', [
      ['Nom', 'Prénom', 'Téléphone'],
      ['ADHÉRENT', 'Anne', '+33613000001'],
    ]);
    const merged = await run(bought.id, 'bought-emails.csv', [
      ['Nom', 'Prénom', 'Téléphone', 'Email', 'Consentement email', 'Libellé consentement'],
      ['ADHÉRENT', 'Anne', '+33613000001', 'anne@exemple.fr', 'non', political],
    ]);
    expect(merged).toMatchObject({ merged: 1, imported: 0 });
    const [row] = await s.db.select().from(contacts).where(eq(contacts.orgId, org.id));
    expect(row).toMatchObject({
      relationship: true,
      emailSourceId: bought.id,
      emailSourceType: 'purchased_file',
      phoneSourceId: members.id,
    });
    // Count: the member's own number is texted; the bought email is not written to.
    expect(await reach(org.id)).toMatchObject({ email: 0, sms: 1, phone: 1 });

    // Plan: nobody, and the exclusion is counted as no consent.
    const campaign = await createCampaign(s.db, {
      orgId: org.id,
      input: {
        segmentId: await everyone(org.id),
        fromName: 'Liste',
        fromEmail: 'contact@exemple-2027.fr',
        subject: 'Bonjour',
        body: 'Réunion jeudi.',
      },
      actor: 'test',
      clock: s.clock,
    });
    const plan = await planCampaign(s.db, {
      campaignId: campaign.id,
      actor: 'test',
      clock: s.clock,
    });
    expect(plan).toMatchObject({ recipients: 0, exclusions: { no_consent: 1 } });

    // Send: a row queued anyway (a stale plan) is re-checked by the engine and not sent.
    await s.db.insert(outbox).values({
      campaignId: campaign.id,
      orgId: org.id,
      contactId: row!.id,
      channel: 'email',
      messageRef: 'f'.repeat(32),
      state: 'queued',
      updatedAt: s.clock(),
    });
    await moveCampaign(s.db, {
      campaignId: campaign.id,
      move: 'send',
      actor: 'test',
      clock: s.clock,
    });
    const sent: unknown[] = [];
    const channel: SendChannel = {
      name: 'email',
      capacity: 5,
      send: async (message): Promise<SendResult> => {
        sent.push(message);
        return { ok: true };
      },
      close: async () => {},
    };
    await new Dispatcher({
      db: s.db,
      keys: s.keys,
      clock: s.clock,
      channel,
      publicUrl: 'https://isoloir.example',
      mailDomain: 'exemple-2027.fr',
    }).runOnce();
    expect(sent).toHaveLength(0);
    const [queued] = await s.db.select().from(outbox).where(eq(outbox.campaignId, campaign.id));
    expect(queued!.state).toBe('suppressed');
  });

  it('SRC-3: the same identifier arriving from a relationship source becomes that source’s', async () => {
    const org = await makeOrg(s, notice);
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const members = await makeSource(s, org.id, { type: 'member_file' });
    await run(bought.id, 'bought-first.csv', [
      ['Nom', 'Email', 'Téléphone'],
      ['DOUBLE', 'double@exemple.fr', '+33614000001'],
    ]);
    expect(await reach(org.id)).toMatchObject({ email: 0, sms: 0, phone: 0 });
    await run(members.id, 'members-second.csv', [
      ['Nom', 'Email', 'Téléphone'],
      ['DOUBLE', 'DOUBLE@exemple.fr', '+33614000001'],
    ]);
    const [row] = await s.db.select().from(contacts).where(eq(contacts.orgId, org.id));
    expect(row).toMatchObject({ emailSourceId: members.id, phoneSourceId: members.id });
    expect(await reach(org.id)).toMatchObject({ email: 1, sms: 1, phone: 1 });
  });

  it('SRC-3: addContact records the source of each identifier it stores', async () => {
    const org = await makeOrg(s, notice);
    const door = await makeSource(s, org.id, { type: 'door_to_door' });
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: door.id,
      identity: { birthName: 'PORTE', phone: '+33615000001', streetAddress: '3 rue Neuve' },
      actor: 'test',
    });
    const [row] = await s.db.select().from(contacts).where(eq(contacts.id, id));
    expect(row).toMatchObject({
      emailSourceId: null,
      phoneSourceId: door.id,
      phoneSourceType: 'door_to_door',
      addressSourceId: door.id,
      addressSourceType: 'door_to_door',
    });
    // The database keeps (id, type) equal to the source's: a forged type is refused.
    await expect(
      s.db.execute(sql`update contacts set phone_source_type = 'member_file' where id = ${id}`),
    ).rejects.toThrow();
  });

  it('SRC-6: deleting a source erases the identifiers it supplied to contacts kept through another source', async () => {
    const org = await makeOrg(s, notice);
    const members = await makeSource(s, org.id, { type: 'member_file' });
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    await run(members.id, 'members-keep.csv', [
      ['Nom', 'Prénom', 'Téléphone'],
      ['GARDÉ', 'Gilles', '+33616000001'],
    ]);
    await run(bought.id, 'bought-gone.csv', [
      [
        'Nom',
        'Prénom',
        'Téléphone',
        'Email',
        'Adresse',
        'Consentement email',
        'Libellé consentement',
      ],
      ['GARDÉ', 'Gilles', '+33616000001', 'gilles@exemple.fr', '4 rue Vieille', 'oui', political],
    ]);
    expect(await reach(org.id)).toMatchObject({ email: 1 });
    const result = await deleteSource(s.db, { sourceId: bought.id, actor: 'test', keys: s.keys });
    expect(result).toMatchObject({ contactsDeleted: 0, identifiersErased: 1 });
    const [row] = await s.db.select().from(contacts).where(eq(contacts.orgId, org.id));
    expect(row).toMatchObject({
      emailIndex: null,
      emailSourceId: null,
      hasAddress: false,
      addressSourceId: null,
      phoneSourceId: members.id,
    });
    const kept = await getContact(s.db, { keys: s.keys, orgId: org.id, contactId: row!.id });
    expect(kept.identity).toEqual({
      birthName: 'GARDÉ',
      firstNames: 'Gilles',
      phone: '+33616000001',
    });
    expect(await reach(org.id)).toMatchObject({ email: 0, sms: 1, phone: 1, post: 0 });
  });

  it('SRC-3: the migration’s backfill gives each identifier to the contact’s source giving the least permission that can carry it (never an electoral list for an email)', async () => {
    const org = await makeOrg(s, notice);
    const election = await makeElection(s, org.id, { territory: ['44109'] });
    const electoral = await makeSource(s, org.id, {
      type: 'electoral_list',
      electionId: election.id,
    });
    const members = await makeSource(s, org.id, { type: 'member_file' });
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const other = ELECTORAL_ROW.map((cell, i) => (i === 0 ? 'DUPONT' : i === 2 ? 'Jean' : cell));
    await run(electoral.id, 'backfill-electoral.csv', [ELECTORAL_HEADERS, ELECTORAL_ROW, other]);
    // Jean's number came from a purchased file, merged into his electoral-list record.
    await run(bought.id, 'backfill-bought.csv', [
      ['NomDeNaissance', 'Prenoms', 'DateDeNaissance', 'CodeCommune', 'Téléphone'],
      ['DUPONT', 'Jean', '12/12/1999', '44109', '+33617000002'],
    ]);
    await run(members.id, 'backfill-members.csv', [
      ['NomDeNaissance', 'Prenoms', 'DateDeNaissance', 'CodeCommune', 'Email', 'Téléphone'],
      ['MARTIN', 'Zoé', '12/12/1999', '44109', 'zoe@exemple.fr', '+33617000001'],
    ]);
    const rows = async () =>
      new Map(
        (await s.db.select().from(contacts).where(eq(contacts.orgId, org.id))).map((r) => [
          r.phoneSourceId === members.id || r.emailSourceId === members.id ? 'zoe' : 'jean',
          r,
        ]),
      );
    const before = await rows();
    expect(before.get('zoe')).toMatchObject({
      emailSourceId: members.id,
      phoneSourceId: members.id,
    });
    expect(before.get('jean')).toMatchObject({ phoneSourceId: bought.id });
    const ids = new Map([...before].map(([k, r]) => [r.id, k]));
    // As before migration 0011: nothing says who supplied what; then its backfill statements.
    await s.db.execute(sql`update contacts set email_source_id = null, email_source_type = null,
      phone_source_id = null, phone_source_type = null, address_source_id = null,
      address_source_type = null where org_id = ${org.id}`);
    const migration = fs.readFileSync(
      new URL(
        '../../db/migrations/0011_record_which_source_supplied_each_identifier.sql',
        import.meta.url,
      ),
      'utf8',
    );
    const backfill = migration
      .split('--> statement-breakpoint')
      .map((st) => st.replace(/^\s*(--[^\n]*\n\s*)*/, '').trim())
      .filter((st) => /^UPDATE "contacts" c SET "(email|phone|address)_source_id"/.test(st));
    expect(backfill).toHaveLength(3);
    for (const statement of backfill) await s.db.execute(sql.raw(statement));
    const after = new Map(
      (await s.db.select().from(contacts).where(eq(contacts.orgId, org.id))).map((r) => [
        ids.get(r.id),
        r,
      ]),
    );
    expect(after.get('zoe')).toMatchObject({
      emailSourceId: members.id,
      emailSourceType: 'member_file',
      // Zoé's number: the electoral list gives less permission than the member file, so the
      // backfill names it (less reachable, never more).
      phoneSourceId: electoral.id,
      addressSourceId: electoral.id,
    });
    // Jean's number: the purchased file, not the electoral list that came first, so it still needs
    // consent. His address too (it cannot tell): a wrong guess costs reach, never permission.
    expect(after.get('jean')).toMatchObject({
      phoneSourceId: bought.id,
      phoneSourceType: 'purchased_file',
      addressSourceId: bought.id,
    });
  });
});
