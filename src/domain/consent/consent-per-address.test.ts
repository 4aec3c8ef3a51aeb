// SRC-3 / CH-CONSENT: a consent is given for an address or a number. Recorded for a contact that
// has none on that channel, it would attach to whichever one a later import brings (a purchased
// email filling the empty field would then be "consented"). The ledger refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { importContacts } from '../contacts/import/import-contacts.ts';
import { DomainError } from '../errors.ts';
import { consentStatus, recordConsent } from './consent.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const wording = "J'accepte de recevoir par email et SMS les messages politiques de l'association";

describe('a consent needs the address it is for (SRC-3)', () => {
  it('SRC-3 / CH-CONSENT: refuses an email consent for a contact with no email, so a purchased one cannot inherit it', async () => {
    const org = await makeOrg(s);
    const members = await makeSource(s, org.id, { type: 'member_file' });
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: members.id,
      identity: { birthName: 'Sanschamp', firstNames: 'Eva', phone: '+33644556677' },
      actor: 'test',
    });
    const grant = (channel: string) =>
      recordConsent(s.db, {
        orgId: org.id,
        contactId: id,
        entry: {
          channel,
          action: 'granted',
          wording,
          method: 'staff',
          place: 'permanence',
          evidence: 'fiche 12',
        },
        actor: 'test',
        clock: s.clock,
      });
    const refusal = await grant('email').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).rule).toBe('SRC-3');
    expect((refusal as DomainError).message).not.toMatch(/Sanschamp|\+336/);
    await expect(grant('post')).rejects.toMatchObject({ rule: 'SRC-3' });
    // The number is the contact's: its SMS consent is recorded.
    await expect(grant('sms')).resolves.toMatchObject({ channel: 'sms' });

    // A purchased file then fills the empty email: it has no consent.
    const bought = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    await importContacts(s.db, {
      keys: s.keys,
      sourceId: bought.id,
      file: writeCsv(files.file('loue.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Sanschamp', 'eva.s@exemple.fr', '0644556677'],
      ]),
      actor: 'test',
      clock: s.clock,
    });
    expect((await consentStatus(s.db, { contactId: id, channel: 'email' })).granted).toBe(false);
  });
});
