// Issue 13, review of item 3: dropping a field never lets an objector back in (SRC-8, OPT-3).
// A cell with control characters, an address too long to store, a phone read differently since
// the overseas regions are read as theirs, a second column mapped to the same field: each still
// names the person to the suppression list, and a number stored in its old reading still merges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { recordObjection } from '../../objections/objections.ts';
import { suppressIdentity } from '../../objections/suppression.ts';
import type { ContactIdentity } from '../identity.ts';
import { findContactIds, getContact } from '../contacts.ts';
import { importContacts } from './import-contacts.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

let n = 0;
const run = (sourceId: string, rows: string[][]) =>
  importContacts(s.db, {
    keys: s.keys,
    sourceId,
    file: writeCsv(files.file(`f${++n}.csv`), rows),
    actor: 'test',
    clock: s.clock,
  });

async function orgWithSource() {
  const org = await makeOrg(s);
  const source = await makeSource(s, org.id);
  return { org, source };
}

async function suppress(orgId: string, identity: ContactIdentity, postalCode?: string) {
  const keys = await s.keys.forOrg(s.db, orgId);
  await suppressIdentity(s.db, {
    keys,
    orgId,
    identity,
    ...(postalCode ? { place: { postalCode } } : {}),
  });
}

const objectBy = (orgId: string, input: { email?: string; phone?: string }) =>
  recordObjection(s.db, {
    keys: s.keys,
    orgId,
    input: { ...input, method: 'letter' },
    actor: 'test',
    clock: s.clock,
  });

// A file of a few short lines holding one control character would be refused as binary (more
// than 1% control bytes): these add people who name nobody on the list.
const FILLER = 8;
const padded = (rows: string[][]) => [
  ...rows,
  ...Array.from({ length: FILLER }, (_, i) => [`Personne témoin numéro ${i + 1}`]),
];

describe('control characters in a cell (a line break exported as \\v, a stray \\x07)', () => {
  it('SRC-8: an objector by email whose email cell holds a control character is suppressed, not imported without it', async () => {
    const { org, source } = await orgWithSource();
    await objectBy(org.id, { email: 'jean@exemple.fr' });
    const summary = await run(
      source.id,
      padded([
        ['Nom', 'Prénom', 'Email', 'Mobile'],
        ['Dupont', 'Jean', 'jean@exemple.fr\x07', '0612345678'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1 + FILLER, imported: FILLER, suppressed: 1 });
    expect(
      await findContactIds(s.db, { keys: s.keys, orgId: org.id, phone: '+33612345678' }),
    ).toEqual([]);
  });

  it('SRC-8: an objector by email whose email cell holds a line break exported as \\v is suppressed', async () => {
    const { org, source } = await orgWithSource();
    await objectBy(org.id, { email: 'jean@exemple.fr' });
    const summary = await run(
      source.id,
      padded([
        ['Nom', 'Email'],
        ['Dupont', 'jean@exem\x0bple.fr'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1 + FILLER, imported: FILLER, suppressed: 1 });
  });

  it('SRC-8: an objector by phone whose phone cell holds a control character is suppressed', async () => {
    const { org, source } = await orgWithSource();
    await objectBy(org.id, { phone: '06 12 34 56 78' });
    const summary = await run(
      source.id,
      padded([
        ['Nom', 'Email', 'Mobile'],
        ['Dupont', 'autre@exemple.fr', '06 12 34\x0b56 78'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1 + FILLER, imported: FILLER, suppressed: 1 });
  });

  it('SRC-8: an objector by name and birth date whose name cell holds a control character is suppressed', async () => {
    const { org, source } = await orgWithSource();
    await suppress(org.id, { birthName: 'Tessier', firstNames: 'Marc', birthDate: '1970-03-02' });
    const summary = await run(
      source.id,
      padded([
        ['Nom', 'Prénom', 'Date de naissance', 'Email'],
        ['Tessier\x07', 'Marc', '02/03/1970', 'marc@exemple.fr'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1 + FILLER, imported: FILLER, suppressed: 1 });
  });

  it('SRC-8: an objector met at their door whose address cell holds a control character is suppressed', async () => {
    const { org, source } = await orgWithSource();
    await suppress(
      org.id,
      { birthName: 'Lopez', firstNames: 'Ana', streetAddress: '12 rue des Lilas' },
      '69003',
    );
    const summary = await run(
      source.id,
      padded([
        ['Nom', 'Prénom', 'Adresse', 'Code postal', 'Email'],
        ['Lopez', 'Ana', '12 rue\x0bdes Lilas', '69003', 'ana@exemple.fr'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1 + FILLER, imported: FILLER, suppressed: 1 });
  });

  it('SRC-8: an objector met at their door whose street address is too long to store is suppressed', async () => {
    const { org, source } = await orgWithSource();
    const street = `12 rue des Lilas, ${'résidence les Tilleuls '.repeat(25)}`.trim();
    expect(street.length).toBeGreaterThan(500);
    await suppress(
      org.id,
      { birthName: 'Lopez', firstNames: 'Ana', streetAddress: street },
      '69003',
    );
    const summary = await run(
      source.id,
      padded([
        ['Nom', 'Prénom', 'Adresse', 'Code postal', 'Email'],
        ['Lopez', 'Ana', street, '69003', 'ana@exemple.fr'],
      ]),
    );
    expect(summary).toMatchObject({ read: 1 + FILLER, imported: FILLER, suppressed: 1 });
  });
});

describe('numbers read differently since every French region is read as its own', () => {
  it('SRC-8: an objection recorded by a Martinique number before the upgrade (+33596…) suppresses the row with 0596…', async () => {
    const { org, source } = await orgWithSource();
    await suppress(org.id, { phone: '+33596601234' });
    const summary = await run(source.id, [
      ['Nom', 'Mobile'],
      ['Césaire', '0596 60 12 34'],
    ]);
    expect(summary).toMatchObject({ read: 1, imported: 0, suppressed: 1 });
  });

  it('SRC-8: an objection recorded by a Mayotte or Réunion number before the upgrade suppresses the row (0269…, 0263…)', async () => {
    const { org, source } = await orgWithSource();
    await suppress(org.id, { phone: '+33269601234' });
    await suppress(org.id, { phone: '+33263601234' });
    const summary = await run(source.id, [
      ['Nom', 'Mobile'],
      ['Madi', '0269 60 12 34'],
      ['Payet', '0263 60 12 34'],
    ]);
    expect(summary).toMatchObject({ read: 2, imported: 0, suppressed: 2 });
  });

  it('a contact whose Martinique number was stored as +33596… merges with the row naming 0596…, its number now +596596…', async () => {
    const { org, source } = await orgWithSource();
    await run(source.id, [
      ['Nom', 'Prénom', 'Mobile'],
      ['Césaire', 'Aimé', '+33596601234'],
    ]);
    const summary = await run(source.id, [
      ['Nom', 'Prénom', 'Mobile', 'Email'],
      ['Césaire', 'Aimé', '0596601234', 'aime@exemple.fr'],
    ]);
    expect(summary).toMatchObject({ read: 1, imported: 0, merged: 1, conflicts: 0 });
    const ids = await findContactIds(s.db, { keys: s.keys, orgId: org.id, phone: '+596596601234' });
    expect(ids).toHaveLength(1);
    const contact = await getContact(s.db, { keys: s.keys, orgId: org.id, contactId: ids[0]! });
    expect(contact.identity).toMatchObject({ phone: '+596596601234', email: 'aime@exemple.fr' });
  });

  it('a Réunion number 0263… is read in La Réunion (+262263…), like every other 0262/0263 number', async () => {
    const { org, source } = await orgWithSource();
    await run(source.id, [
      ['Nom', 'Mobile'],
      ['Payet', '0263 60 12 34'],
    ]);
    expect(
      await findContactIds(s.db, { keys: s.keys, orgId: org.id, phone: '+262263601234' }),
    ).toHaveLength(1);
  });
});

describe('two columns mapped to one field ("Téléphone" and "Mobile")', () => {
  it('SRC-8: an objector by mobile whose row gives a landline first is suppressed', async () => {
    const { org, source } = await orgWithSource();
    await objectBy(org.id, { phone: '06 11 22 33 44' });
    const summary = await run(source.id, [
      ['Nom', 'Email', 'Téléphone', 'Mobile'],
      ['Roux', 'roux@exemple.fr', '01 45 00 00 01', '06 11 22 33 44'],
    ]);
    expect(summary).toMatchObject({ read: 1, imported: 0, suppressed: 1 });
  });

  it('SRC-8: an objector by the email of the second email column is suppressed', async () => {
    const { org, source } = await orgWithSource();
    await objectBy(org.id, { email: 'perso@exemple.fr' });
    const summary = await run(source.id, [
      ['Nom', 'Email', 'Courriel'],
      ['Roux', 'travail@exemple.fr', 'perso@exemple.fr'],
    ]);
    expect(summary).toMatchObject({ read: 1, imported: 0, suppressed: 1 });
  });

  it('the valid mobile is stored when the first phone column is invalid, the invalid one counted as dropped', async () => {
    const { org, source } = await orgWithSource();
    const summary = await run(source.id, [
      ['Nom', 'Téléphone', 'Mobile'],
      ['Roux', 'n/a 12', '06 11 22 33 45'],
    ]);
    expect(summary).toMatchObject({ read: 1, imported: 1, dropped: { Téléphone: 1 } });
    expect(
      await findContactIds(s.db, { keys: s.keys, orgId: org.id, phone: '+33611223345' }),
    ).toHaveLength(1);
  });

  it('a second, different value of a field is counted under its column in dropped, never lost silently', async () => {
    const { source } = await orgWithSource();
    const summary = await run(source.id, [
      ['Nom', 'Téléphone', 'Mobile'],
      ['Roux', '01 45 00 00 02', '06 11 22 33 46'],
      ['Vidal', '06 11 22 33 47', '06.11.22.33.47'],
    ]);
    expect(summary).toMatchObject({ read: 2, imported: 2, dropped: { Mobile: 1 } });
  });
});
