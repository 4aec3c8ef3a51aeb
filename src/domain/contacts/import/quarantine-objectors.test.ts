// OPT-3: no file of objectors is kept, and the import's quarantine is no exception. A rejected row
// stays sealed for the staff who fix the file; once the person it names objects, reading the
// quarantine withholds it and only says how many rows were withheld (the API: src/http).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { seal } from '../../../crypto/aead.ts';
import { recordObjection } from '../../objections/objections.ts';
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

const object = (orgId: string, email: string) =>
  recordObjection(s.db, {
    keys: s.keys,
    orgId,
    input: { email, method: 'letter' },
    actor: 'test',
    clock: s.clock,
  });

describe('the quarantine keeps no objector (OPT-3)', () => {
  it('OPT-3: withholds the quarantined row of someone who objected', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await run(
      source.id,
      writeCsv(files.file('loue.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Noir', 'b.noir@exemple.fr', '12'],
        ['Gris', 'c.gris@exemple.fr', '34'],
      ]),
    );
    // Kept without their invalid numbers, their lines quarantined.
    expect(summary).toMatchObject({ imported: 2, rejected: 0, invalidFields: { phone: 2 } });

    await object(org.id, 'b.noir@exemple.fr');
    const quarantine = await readRejections(s.db, { keys: s.keys, importId: summary.importId });
    expect(quarantine.withheld).toBe(1);
    expect(quarantine.items.map((r) => r.line)).toEqual([3]);
    expect(JSON.stringify(quarantine)).not.toMatch(/noir/i);
  });

  it('SEG-2: a row sealed before this version shows no column or value today’s rules would not keep', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await run(
      source.id,
      writeCsv(files.file('avant.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Vert', 'e.vert@exemple.fr', '0611223355'],
      ]),
    );
    const keys = await s.keys.forOrg(s.db, org.id);
    // Earlier versions sealed every mapped cell by header, a laundered "Religion" column too.
    const legacy = seal(
      keys.encryption,
      Buffer.from(
        JSON.stringify({
          Nom: 'Lilas',
          Email: 'f.lilas@exemple.fr',
          Mobile: '78',
          Religion: 'musulman',
        }),
      ),
      `isoloir:rejection:${summary.importId}:7`,
    );
    await s.db.execute(sql`
      insert into import_rejections (import_id, line, reason, row)
      values (${summary.importId}, 7, 'invalid phone', ${legacy})`);
    const read = await readRejections(s.db, { keys: s.keys, importId: summary.importId });
    expect(read.items).toHaveLength(1);
    expect(JSON.stringify(read)).not.toMatch(/musulman|Religion/);
    expect(JSON.stringify(read)).toMatch(/f\.lilas@exemple\.fr/);
  });

  it('OPT-3: withholds an objector’s row sealed before rows carried their hashes', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    const summary = await run(
      source.id,
      writeCsv(files.file('ancien.csv'), [
        ['Nom', 'Email', 'Mobile'],
        ['Blanc', 'a.blanc@exemple.fr', '0611223344'],
      ]),
    );
    // A quarantined row as earlier versions sealed it: only its cells, by header.
    const keys = await s.keys.forOrg(s.db, org.id);
    const legacy = seal(
      keys.encryption,
      Buffer.from(JSON.stringify({ Nom: 'Rose', Email: 'd.rose@exemple.fr', Mobile: '56' })),
      `isoloir:rejection:${summary.importId}:9`,
    );
    await s.db.execute(sql`
      insert into import_rejections (import_id, line, reason, row)
      values (${summary.importId}, 9, 'invalid phone', ${legacy})`);
    expect(
      (await readRejections(s.db, { keys: s.keys, importId: summary.importId })).items,
    ).toHaveLength(1);
    await object(org.id, 'd.rose@exemple.fr');
    expect(await readRejections(s.db, { keys: s.keys, importId: summary.importId })).toEqual({
      items: [],
      withheld: 1,
    });
  });
});
