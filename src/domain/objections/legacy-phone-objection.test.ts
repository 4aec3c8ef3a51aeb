// OPT-2 / SRC-8 across the upgrade of issue 13: overseas numbers (Martinique 0596, Mayotte 0269,
// La Réunion 0263) were stored as +33 before, and are read as +596 / +262 since. An objection
// given in today's reading must still find and stop a contact stored in the old one, and an
// objection recorded in the old reading must still stop a number given in today's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { recordObjection } from './objections.ts';
import { suppressedAmong, suppressionHashes, suppressIdentity } from './suppression.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(() => s.dispose());

describe('an overseas number stored in its pre-upgrade +33 reading (OPT-2, SRC-8)', () => {
  it('OPT-2: an objection by 0596 60 12 34 covers the contact stored as +33 596 60 12 34', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    // As stored before the upgrade: the +33 reading.
    const contact = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: source.id,
      identity: { birthName: 'Lancry', phone: '+33596601234' },
      actor: 'test',
    });
    const result = await recordObjection(s.db, {
      keys: s.keys,
      orgId: org.id,
      input: { phone: '0596 60 12 34', method: 'phone_call' },
      actor: 'test',
      clock: s.clock,
    });
    expect(result.contacts).toBe(1);
    // The send engine hashes the stored identity: it must be on the list.
    const keys = await s.keys.forOrg(s.db, org.id);
    const hashes = suppressionHashes(keys, { phone: '+33596601234' });
    const suppressed = await suppressedAmong(s.db, { orgId: org.id, hashes });
    expect(suppressed.size).toBeGreaterThan(0);
    expect(contact.id).toBeTruthy();
  });

  it('SRC-8: an objection recorded as +33 269 60 12 34 stops the number read today as +262 269 60 12 34', async () => {
    const org = await makeOrg(s);
    const keys = await s.keys.forOrg(s.db, org.id);
    await suppressIdentity(s.db, { keys, orgId: org.id, identity: { phone: '+33269601234' } });
    const today = suppressionHashes(keys, { phone: '+262269601234' });
    expect((await suppressedAmong(s.db, { orgId: org.id, hashes: today })).size).toBeGreaterThan(0);
  });
});
