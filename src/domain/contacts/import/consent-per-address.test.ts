// SRC-3 / CH-EMAIL / CH-SMS / CH-POST: a consent in a file belongs to the address or number on its
// row, not to whichever contact the row merged into. When the row's email (phone, street address)
// lost the merge (the contact keeps another one, a conflict), its consent is not recorded, and the
// summary counts it in `consentsNotRecorded`: nothing is dropped silently.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { contacts } from '../../../db/schema/index.ts';
import { consentStatus } from '../../consent/consent.ts';
import { findContactIds } from '../contacts.ts';
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

const run = (sourceId: string, file: string) =>
  importContacts(s.db, { keys: s.keys, sourceId, file, actor: 'test', clock: s.clock });

describe('a file’s consent belongs to the row’s address (SRC-3)', () => {
  it('SRC-3: does not give a contact email consent for an email that lost the merge', async () => {
    const org = await makeOrg(s);
    const p1 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P1' });
    const p2 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P2' });
    const first = await run(
      p1.id,
      writeCsv(files.file('p1.csv'), [
        ['Nom', 'Prénom', 'Email', 'Mobile', 'Consentement email'],
        ['Durand', 'Alice', 'a.durand@exemple.fr', '0611223344', 'non'],
      ]),
    );
    expect(first).toMatchObject({ imported: 1, consents: { email: 0 } });
    // P2 matches the same contact by phone, with another email and consent for it.
    const second = await run(
      p2.id,
      writeCsv(files.file('p2.csv'), [
        ['Nom', 'Prénom', 'Email', 'Mobile', 'Consentement email'],
        ['Durand', 'Alice', 'b.autre@exemple.fr', '0611223344', 'oui'],
      ]),
    );
    const [id] = await findContactIds(s.db, {
      keys: s.keys,
      orgId: org.id,
      email: 'a.durand@exemple.fr',
    });
    expect(id).toBeDefined();
    expect((await consentStatus(s.db, { contactId: id!, channel: 'email' })).granted).toBe(false);
    const [row] = await s.db.select().from(contacts).where(eq(contacts.id, id!));
    expect(row!.consentEmail).not.toBe('granted');
    expect(second).toMatchObject({ merged: 1, conflicts: 1, consentsNotRecorded: 1 });
    expect(second.consents.email).toBe(0);
  });

  it('CH-SMS: does not give SMS or call consent for a number that lost the merge', async () => {
    const org = await makeOrg(s);
    const p1 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P1' });
    const p2 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P2' });
    await run(
      p1.id,
      writeCsv(files.file('sms1.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Martin', 'c.martin@exemple.fr', '0622334455'],
      ]),
    );
    const second = await run(
      p2.id,
      writeCsv(files.file('sms2.csv'), [
        [
          'Nom',
          'Email',
          'Mobile',
          'Consentement SMS',
          'Consentement téléphone',
          'Consentement email',
        ],
        ['Martin', 'c.martin@exemple.fr', '0699887766', 'oui', 'oui', 'oui'],
      ]),
    );
    // The email is the contact's own: its consent counts; the number's two do not.
    expect(second).toMatchObject({
      merged: 1,
      consentsNotRecorded: 2,
      consents: { email: 1, sms: 0, phone: 0 },
    });
    const [id] = await findContactIds(s.db, {
      keys: s.keys,
      orgId: org.id,
      email: 'c.martin@exemple.fr',
    });
    expect((await consentStatus(s.db, { contactId: id!, channel: 'email' })).granted).toBe(true);
    expect((await consentStatus(s.db, { contactId: id!, channel: 'sms' })).granted).toBe(false);
    expect((await consentStatus(s.db, { contactId: id!, channel: 'phone' })).granted).toBe(false);
  });

  it('CH-POST: does not give post consent for a street address that lost the merge', async () => {
    const org = await makeOrg(s);
    const p1 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P1' });
    const p2 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P2' });
    await run(
      p1.id,
      writeCsv(files.file('post1.csv'), [
        ['Nom', 'Email', 'Adresse', 'Code postal'],
        ['Petit', 'd.petit@exemple.fr', '3 rue des Lilas', '69003'],
      ]),
    );
    const second = await run(
      p2.id,
      writeCsv(files.file('post2.csv'), [
        ['Nom', 'Email', 'Adresse', 'Code postal', 'Consentement courrier'],
        ['Petit', 'd.petit@exemple.fr', '9 avenue Foch', '69003', 'oui'],
        // Same address, written differently (case, accents, spaces): the contact's own.
        ['Petit', 'd.petit@exemple.fr', '3  RUE des lilas', '69003', 'oui'],
      ]),
    );
    expect(second).toMatchObject({ consentsNotRecorded: 1, consents: { post: 1 } });
  });

  it('SRC-3: a row filling an empty email records its consent for it', async () => {
    const org = await makeOrg(s);
    const p1 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P1' });
    const p2 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P2' });
    await run(
      p1.id,
      writeCsv(files.file('fill1.csv'), [
        ['Nom', 'Mobile'],
        ['Roux', '0655443322'],
      ]),
    );
    const second = await run(
      p2.id,
      writeCsv(files.file('fill2.csv'), [
        ['Nom', 'Email', 'Mobile', 'Consentement email'],
        ['Roux', 'e.roux@exemple.fr', '0655443322', 'oui'],
      ]),
    );
    expect(second).toMatchObject({ merged: 1, consentsNotRecorded: 0, consents: { email: 1 } });
  });
});
