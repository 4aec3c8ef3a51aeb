// SRC-3 / CH-EMAIL: a consent belongs to the address it was given for. When deleting a source
// erases the email (phone, street address) it supplied to a contact kept through another source,
// the consent given for that address stops applying: an address a later file brings is not
// "consented" by it. A withdrawal (an objection) is never undone this way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { importContacts } from '../contacts/import/import-contacts.ts';
import { recordObjection } from '../objections/objections.ts';
import { countSegment } from '../segments/count.ts';
import { deleteSource } from './delete-source.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const run = (sourceId: string, name: string, rows: string[][]) =>
  importContacts(s.db, {
    keys: s.keys,
    sourceId,
    file: writeCsv(files.file(name), rows),
    actor: 'test',
    clock: s.clock,
  });
const reach = async (orgId: string) =>
  (await countSegment(s.db, { orgId, where: { and: [] } })).reachable;
const HEADER = ['Nom', 'Prénom', 'Email', 'Mobile', 'Consentement email'];

describe('a consent stops with the address it was given for (SRC-3)', () => {
  it('SRC-3: after its source is deleted, the consent given for an erased email does not reach the next email a file brings', async () => {
    const org = await makeOrg(s);
    const members = await makeSource(s, org.id, { type: 'member_file' });
    const p1 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P1' });
    const p2 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P2' });
    await run(members.id, 'm.csv', [
      ['Nom', 'Prénom', 'Mobile'],
      ['Durand', 'Alice', '0611223344'],
    ]);
    await run(p1.id, 'p1.csv', [
      HEADER,
      ['Durand', 'Alice', 'a.durand@exemple.fr', '0611223344', 'oui'],
    ]);
    expect((await reach(org.id)).email).toBe(1);
    const deleted = await deleteSource(s.db, { sourceId: p1.id, actor: 'test', keys: s.keys });
    expect(deleted).toMatchObject({ contactsDeleted: 0, identifiersErased: 1 });
    expect((await reach(org.id)).email).toBe(0);
    // P2 fills the empty email with another address, without consent for it.
    await run(p2.id, 'p2.csv', [
      HEADER,
      ['Durand', 'Alice', 'b.autre@exemple.fr', '0611223344', 'non'],
    ]);
    expect((await reach(org.id)).email).toBe(0);
  });

  it('OPT-1: deleting a source never undoes a withdrawal', async () => {
    const org = await makeOrg(s);
    const members = await makeSource(s, org.id, { type: 'member_file' });
    const p1 = await makeSource(s, org.id, { type: 'purchased_file', attestation, label: 'P1' });
    await run(members.id, 'm2.csv', [
      ['Nom', 'Prénom', 'Mobile'],
      ['Roux', 'Léa', '0611223366'],
    ]);
    await run(p1.id, 'p3.csv', [HEADER, ['Roux', 'Léa', 'l.roux@exemple.fr', '0611223366', 'oui']]);
    await recordObjection(s.db, {
      keys: s.keys,
      orgId: org.id,
      input: { phone: '+33611223366', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    await deleteSource(s.db, { sourceId: p1.id, actor: 'test', keys: s.keys });
    // A member's own email, given later, stays unreachable: the objection holds.
    await run(members.id, 'm3.csv', [
      ['Nom', 'Prénom', 'Email', 'Mobile'],
      ['Roux', 'Léa', 'lea@exemple.fr', '0611223366'],
    ]);
    expect(await reach(org.id)).toEqual({ email: 0, sms: 0, phone: 0, post: 0 });
  });
});
