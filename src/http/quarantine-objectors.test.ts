// OPT-3 through the API: GET /api/imports/:id/rejected withholds the quarantined rows of people
// who objected since the import, and says only how many (`withheld`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir, writeCsv } from '../../test/files.ts';
import { bearer, makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { importContacts } from '../domain/contacts/import/import-contacts.ts';
import { recordObjection } from '../domain/objections/objections.ts';
import { createApp } from './app.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

describe('GET /api/imports/:id/rejected (OPT-3)', () => {
  it('OPT-3: withholds the quarantined row of someone who objected, naming only the count', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await importContacts(s.db, {
      keys: s.keys,
      sourceId: source.id,
      file: writeCsv(files.file('loue.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Noir', 'b.noir@exemple.fr', '12'],
        ['Gris', 'c.gris@exemple.fr', '34'],
      ]),
      actor: 'test',
      clock: s.clock,
    });
    // The invalid mobiles are dropped and the rows kept (issue 13): their lines are still in the
    // quarantine, with the emails, and an objector's line must be withheld all the same.
    expect(summary).toMatchObject({ imported: 2, rejected: 0, invalidFields: { phone: 2 } });
    await recordObjection(s.db, {
      keys: s.keys,
      orgId: org.id,
      input: { email: 'b.noir@exemple.fr', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    const staff = await makeStaff(s, org.id, 'manager', { tokenOrgId: null });
    const res = await createApp(s).request(`/api/imports/${summary.importId}/rejected`, {
      headers: bearer(staff),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { line: number }[]; withheld: number };
    expect(body.items.map((r) => r.line)).toEqual([3]);
    expect(body.withheld).toBe(1);
    expect(JSON.stringify(body)).not.toMatch(/noir/i);
  });
});
