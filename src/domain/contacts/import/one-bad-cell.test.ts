// Issue 13, item 3: one bad cell never drops a person. A member whose mobile is overseas is
// imported with it; a value that is not understood drops that field only, counted in
// `invalidFields`, the line kept in the quarantine for staff to fix; the row is rejected whole only
// when nothing is left to name the person by, or when it cannot be read.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../../test/files.ts';
import { plainDump } from '../../../../test/plain-dump.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { consentEntries } from '../../../db/schema/index.ts';
import { recordObjection } from '../../objections/objections.ts';
import { suppressIdentity } from '../../objections/suppression.ts';
import { countContacts, findContactIds, getContact } from '../contacts.ts';
import { importContacts } from './import-contacts.ts';
import { readRejections } from './import-records.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const run = (sourceId: string, file: string) =>
  importContacts(s.db, { keys: s.keys, sourceId, file, actor: 'test', clock: s.clock });

const balanced = (r: {
  read: number;
  imported: number;
  merged: number;
  rejected: number;
  suppressed: number;
}) => r.read === r.imported + r.merged + r.rejected + r.suppressed;

async function contactBy(orgId: string, by: { email?: string; phone?: string }) {
  const ids = await findContactIds(s.db, { keys: s.keys, orgId, ...by });
  expect(ids).toHaveLength(1);
  return getContact(s.db, { keys: s.keys, orgId, contactId: ids[0]! });
}

describe('overseas numbers (every French numbering region)', () => {
  it('a member file with Mayotte, Guadeloupe, Guyane, Martinique and Réunion mobiles imports every row, each number in its region', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const members = [
      ['Madi', 'Zaïna', 'z.madi@exemple.fr', '0639 40 12 34', '+262639401234'],
      ['Lacroix', 'Éric', 'e.lacroix@exemple.fr', '0690 12 34 56', '+590690123456'],
      ['Horth', 'Line', 'l.horth@exemple.fr', '06 94 20 12 34', '+594694201234'],
      ['Césaire', 'Aimé', 'a.cesaire@exemple.fr', '0696.20.12.34', '+596696201234'],
      ['Jean-Louis', 'Rose', 'r.jean-louis@exemple.fr', '0697001234', '+596697001234'],
      ['Payet', 'Noé', 'n.payet@exemple.fr', '0692 12 34 56', '+262692123456'],
      ['Hoarau', 'Léa', 'l.hoarau@exemple.fr', '0693123456', '+262693123456'],
      ['Attoumani', 'Saïd', 's.attoumani@exemple.fr', '+262 639 40 99 88', '+262639409988'],
      ['Boina', 'Anli', 'a.boina@exemple.fr', '00262639401122', '+262639401122'],
      ['Morel', 'Anne', 'a.morel@exemple.fr', '06 12 34 56 78', '+33612345678'],
    ];
    const summary = await run(
      source.id,
      writeCsv(files.file('outre-mer.csv'), [
        ['Nom', 'Prénom', 'Email', 'Mobile'],
        ...members.map((m) => m.slice(0, 4)),
      ]),
    );
    expect(summary).toMatchObject({
      read: members.length,
      imported: members.length,
      rejected: 0,
      invalidFields: {},
    });
    for (const [name, , email, , e164] of members) {
      const contact = await contactBy(org.id, { phone: e164 });
      expect(contact.identity).toMatchObject({ birthName: name, email, phone: e164 });
    }
    expect(
      (await readRejections(s.db, { keys: s.keys, importId: summary.importId })).items,
    ).toEqual([]);
  });

  it('a Moroccan organisation keeps reading national numbers as Moroccan', async () => {
    const org = await makeOrg(s, { jurisdiction: 'MA', cndpReceipt: 'D-PO-2026-913' });
    const source = await makeSource(s, org.id);
    const summary = await run(
      source.id,
      writeCsv(files.file('ma.csv'), [
        ['Nom', 'Mobile'],
        ['Alaoui', '0661234567'],
      ]),
    );
    expect(summary).toMatchObject({ imported: 1, invalidFields: {} });
    expect((await contactBy(org.id, { phone: '+212661234567' })).identity.phone).toBe(
      '+212661234567',
    );
  });
});

describe('one invalid field is dropped, the row kept', () => {
  it('a row with one invalid phone is imported without it, counted in invalidFields, its line in the quarantine', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const summary = await run(
      source.id,
      writeCsv(files.file('un-mauvais.csv'), [
        ['Nom', 'Prénom', 'Email', 'Mobile'],
        ['Petit', 'Léon', 'l.petit@exemple.fr', '0611223344'],
        ['Vidal', 'Inès', 'i.vidal@exemple.fr', '06 99 ZZ 12'],
      ]),
    );
    expect(summary).toMatchObject({
      read: 2,
      imported: 2,
      rejected: 0,
      invalidFields: { phone: 1 },
    });
    expect(balanced(summary)).toBe(true);
    // The email relationship is kept; the number is not stored.
    const vidal = await contactBy(org.id, { email: 'i.vidal@exemple.fr' });
    expect(vidal.identity).toEqual({
      birthName: 'Vidal',
      firstNames: 'Inès',
      email: 'i.vidal@exemple.fr',
    });
    expect(await readRejections(s.db, { keys: s.keys, importId: summary.importId })).toEqual({
      items: [
        {
          line: 3,
          kind: 'kept',
          reason: 'invalid phone: field not stored',
          cells: {
            Nom: 'Vidal',
            Prénom: 'Inès',
            Email: 'i.vidal@exemple.fr',
            Mobile: '06 99 ZZ 12',
          },
        },
      ],
      withheld: 0,
    });
    // The invalid value is nowhere in clear: only in the sealed quarantine.
    expect(await plainDump(s.db, s.config.databaseUrl)).not.toContain('99 ZZ');
  });

  it('drops an invalid email, birth date, birth year, sex, postal code, over-long address or a cell with control characters alone', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const long = `${'1 rue du Très Long Chemin '.repeat(25)}`;
    const summary = await run(
      source.id,
      writeCsv(files.file('champs.csv'), [
        [
          'Nom',
          'Email',
          'Mobile',
          'Date de naissance',
          'Année de naissance',
          'Sexe',
          'Code postal',
          'Adresse',
        ],
        ['Aubert', 'aubert@', '0611000001', '', '', '', '', ''],
        ['Barre', '', '0611000002', '31/02/1990', '', '', '', ''],
        ['Caron', '', '0611000003', '', '1850', '', '', ''],
        ['Dumas', '', '0611000004', '', '', 'X', '', ''],
        ['Emery', '', '0611000005', '', '', '', '6900', 'rue Neuve'],
        ['Ferry', '', '0611000006', '', '', '', '', long],
        ['Gilles', '', '0611000007', '', '', 'F', '', '3 rue\u0007 Haute'],
      ]),
    );
    expect(summary).toMatchObject({
      read: 7,
      imported: 7,
      rejected: 0,
      invalidFields: {
        email: 1,
        birthDate: 1,
        birthYear: 1,
        sex: 1,
        streetAddress: 2,
      },
    });
    expect(summary.invalidFields.postalCode).toBeUndefined(); // '6900' is 06900, a dropped zero
    expect(balanced(summary)).toBe(true);
    const quarantine = await readRejections(s.db, { keys: s.keys, importId: summary.importId });
    expect(quarantine.items.map((r) => [r.line, r.kind, r.reason])).toEqual([
      [2, 'kept', 'invalid email: field not stored'],
      [3, 'kept', 'invalid date: field not stored'],
      [4, 'kept', 'invalid birth year: field not stored'],
      [5, 'kept', 'invalid sex: field not stored'],
      [7, 'kept', 'address too long: field not stored'],
      [8, 'kept', 'control characters in Adresse: field not stored'],
    ]);
    const gilles = await contactBy(org.id, { phone: '+33611000007' });
    expect(gilles.identity).toEqual({ birthName: 'Gilles', phone: '+33611000007' });
    expect(gilles.sex).toBe('F');
    const aubert = await contactBy(org.id, { phone: '+33611000001' });
    expect(aubert.identity.email).toBeUndefined();
  });

  it('an invalid postal code is dropped, the row kept', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const summary = await run(
      source.id,
      writeCsv(files.file('cp.csv'), [
        ['Nom', 'Mobile', 'Code postal'],
        ['Hamel', '0611000010', '69 ZZ'],
      ]),
    );
    expect(summary).toMatchObject({ imported: 1, invalidFields: { postalCode: 1 } });
    expect((await contactBy(org.id, { phone: '+33611000010' })).postalCode).toBeUndefined();
  });

  it('a birth year that contradicts the birth date: neither is stored, both counted', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const summary = await run(
      source.id,
      writeCsv(files.file('annee.csv'), [
        ['Nom', 'Prénom', 'Mobile', 'Date de naissance', 'Année de naissance'],
        ['Leroy', 'Paul', '0611000020', '14/07/1961', '1962'],
      ]),
    );
    expect(summary).toMatchObject({
      imported: 1,
      invalidFields: { birthDate: 1, birthYear: 1 },
    });
    const leroy = await contactBy(org.id, { phone: '+33611000020' });
    expect(leroy.identity.birthDate).toBeUndefined();
    expect(leroy.birthYear).toBeUndefined();
    const [line] = (await readRejections(s.db, { keys: s.keys, importId: summary.importId })).items;
    expect(line).toMatchObject({
      kind: 'kept',
      reason: 'birth year does not match birth date: neither stored',
    });
  });
});

describe('consents of a row with a bad cell (SRC-3, CH-CONSENT)', () => {
  it('a consent value not understood gives that channel nothing; the others are recorded', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await run(
      source.id,
      writeCsv(files.file('oui-non.csv'), [
        ['Nom', 'Email', 'Mobile', 'Consentement email', 'Consentement SMS'],
        ['Ibert', 'ibert@exemple.fr', '0611000030', 'peut-être', 'oui'],
      ]),
    );
    expect(summary).toMatchObject({
      imported: 1,
      invalidFields: { consentEmail: 1 },
      consents: { email: 0, sms: 1 },
    });
    const [line] = (await readRejections(s.db, { keys: s.keys, importId: summary.importId })).items;
    expect(line!.reason).toBe(
      'invalid email consent value (use oui/non): no email consent recorded',
    );
  });

  it('an invalid consent date records no consent of the row, never an invented date', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await run(
      source.id,
      writeCsv(files.file('date-consent.csv'), [
        ['Nom', 'Email', 'Mobile', 'Consentement email', 'Consentement SMS', 'Date consentement'],
        ['Jacob', 'jacob@exemple.fr', '0611000040', 'oui', 'oui', '32/13/2025'],
        ['Klein', 'klein@exemple.fr', '0611000041', 'oui', 'non', '01/01/2099'],
      ]),
    );
    expect(summary).toMatchObject({
      imported: 2,
      rejected: 0,
      invalidFields: { consentDate: 2 },
      consents: { email: 0, sms: 0, refused: 3 },
    });
    expect(
      await s.db.select().from(consentEntries).where(eq(consentEntries.orgId, org.id)),
    ).toEqual([]);
  });

  it('SRC-3: a consent for an email that is not stored, being invalid, is not recorded, and counted as refused', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await run(
      source.id,
      writeCsv(files.file('email-consent.csv'), [
        ['Nom', 'Email', 'Mobile', 'Consentement email', 'Consentement SMS'],
        ['Lemoine', 'lemoine@@exemple', '0611000050', 'oui', 'oui'],
      ]),
    );
    expect(summary).toMatchObject({
      imported: 1,
      invalidFields: { email: 1 },
      consents: { email: 0, sms: 1, refused: 1 },
    });
  });
});

describe('rows still rejected whole', () => {
  it('when no identifier is left, or the row has more cells than columns', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const summary = await run(
      source.id,
      writeCsv(files.file('rejets.csv'), [
        ['Nom', 'Email', 'Mobile', 'Sexe'],
        ['', '', '12', 'F'],
        ['', 'pas-un-email', '', ''],
        ['', '', '', 'F'],
        ['Noël', 'noel@exemple.fr', '0611000060', 'M', 'de trop'],
        ['Olivier', '', '0611000061', 'Z'],
      ]),
    );
    expect(summary).toMatchObject({
      read: 5,
      imported: 1,
      rejected: 4,
      invalidFields: { sex: 1 },
    });
    expect(balanced(summary)).toBe(true);
    const quarantine = await readRejections(s.db, { keys: s.keys, importId: summary.importId });
    expect(quarantine.items.map((r) => [r.line, r.kind, r.reason])).toEqual([
      [2, 'rejected', 'missing name: its only identifier (phone) is invalid'],
      [3, 'rejected', 'missing name: its only identifier (email) is invalid'],
      [4, 'rejected', 'missing name'],
      [5, 'rejected', 'more cells (5) than columns (4)'],
      [6, 'kept', 'invalid sex: field not stored'],
    ]);
  });
});

describe('objectors (OPT-2, OPT-3, SRC-8)', () => {
  it('SRC-8: an objection recorded with 0639… suppresses the member imported with 0639…', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    await recordObjection(s.db, {
      keys: s.keys,
      orgId: org.id,
      input: { phone: '0639 40 55 66', method: 'phone_call' },
      actor: 'test',
      clock: s.clock,
    });
    const summary = await run(
      source.id,
      writeCsv(files.file('objecteur.csv'), [
        ['Nom', 'Mobile'],
        ['Soilihi', '0639405566'],
        ['Ahamada', '+262 639 40 55 77'],
      ]),
    );
    expect(summary).toMatchObject({ read: 2, imported: 1, suppressed: 1 });
    expect(
      await findContactIds(s.db, { keys: s.keys, orgId: org.id, phone: '+262639405566' }),
    ).toEqual([]);
  });

  it('OPT-2: an objection by phone written nationally finds the contact imported with it', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    await run(
      source.id,
      writeCsv(files.file('avant-objection.csv'), [
        ['Nom', 'Mobile'],
        ['Payet', '0692 12 34 99'],
      ]),
    );
    const result = await recordObjection(s.db, {
      keys: s.keys,
      orgId: org.id,
      input: { phone: '06 92 12 34 99', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    expect(result).toMatchObject({ contacts: 1, alreadyRecorded: false });
  });

  it('SRC-8: a row naming an objector by an email the import finds invalid is suppressed, not imported without it', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const keys = await s.keys.forOrg(s.db, org.id);
    await suppressIdentity(s.db, { keys, orgId: org.id, identity: { email: 'rene@exemple.f' } });
    const summary = await run(
      source.id,
      writeCsv(files.file('objecteur-email.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Roux', 'Rene@Exemple.F', '0611000070'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1, imported: 0, suppressed: 1 });
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });

  it('SRC-8: a row whose birth date is dropped for contradicting its year is still checked by name and date', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const keys = await s.keys.forOrg(s.db, org.id);
    await suppressIdentity(s.db, {
      keys,
      orgId: org.id,
      identity: { birthName: 'Tessier', firstNames: 'Marc', birthDate: '1970-03-02' },
    });
    const summary = await run(
      source.id,
      writeCsv(files.file('objecteur-date.csv'), [
        ['Nom', 'Prénom', 'Date de naissance', 'Année de naissance'],
        ['Tessier', 'Marc', '02/03/1970', '1971'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1, imported: 0, suppressed: 1 });
  });

  it('OPT-3: the quarantined line of a row kept without its phone is withheld once the person objects', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const summary = await run(
      source.id,
      writeCsv(files.file('retenue.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Moulin', 'moulin@exemple.fr', '12'],
        ['Perrin', 'perrin@exemple.fr', '34'],
      ]),
    );
    expect(summary).toMatchObject({ imported: 2, rejected: 0, invalidFields: { phone: 2 } });
    await recordObjection(s.db, {
      keys: s.keys,
      orgId: org.id,
      input: { email: 'moulin@exemple.fr', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    const quarantine = await readRejections(s.db, { keys: s.keys, importId: summary.importId });
    expect(quarantine.withheld).toBe(1);
    expect(quarantine.items.map((r) => r.line)).toEqual([3]);
    expect(JSON.stringify(quarantine)).not.toMatch(/moulin/i);
  });
});
