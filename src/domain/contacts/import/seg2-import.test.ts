// SEG-2 at import: closed vocabularies for csp and pollingStation (a cell outside them is
// rejected alone and counted), forbidden headers dropped and never mappable, explicit mappings
// into targeting fields checked against the file's values, and the rule of each dropped column.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../../test/factories.ts';
import { ELECTORAL_HEADERS, ELECTORAL_ROW, tempDir, writeCsv } from '../../../../test/files.ts';
import { plainDump } from '../../../../test/plain-dump.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { DomainError } from '../../errors.ts';
import { addContact } from '../contacts.ts';
import { importContacts, type ImportOptions } from './import-contacts.ts';
import { listRejections } from './import-records.ts';
import { previewImport } from './preview-import.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const run = (sourceId: string, file: string, extra: Partial<ImportOptions> = {}) =>
  importContacts(s.db, { keys: s.keys, sourceId, file, actor: 'test', clock: s.clock, ...extra });

async function memberSource() {
  const org = await makeOrg(s);
  return { org, source: await makeSource(s, org.id) };
}

async function stored(orgId: string) {
  const r = (await s.db.execute(
    sql`select csp, polling_station from contacts where org_id = ${orgId} order by csp nulls last`,
  )) as unknown as { rows: { csp: string | null; polling_station: string | null }[] };
  return r.rows.map((x) => [x.csp, x.polling_station]);
}

describe('closed vocabularies at import (SEG-2)', () => {
  it('SEG-2: a csp or polling-station cell outside its vocabulary is rejected alone, the row kept, the summary counting it', async () => {
    const { org, source } = await memberSource();
    const file = writeCsv(files.file('csp.csv'), [
      ['Nom', 'Email', 'CSP', 'Bureau de vote'],
      ['Roux', 'roux@exemple.fr', '37', '312'],
      ['Blanc', 'blanc@exemple.fr', 'musulman', '0007'],
      ['Noir', 'noir@exemple.fr', '44', 'Mosquée'],
      ['Vert', 'vert@exemple.fr', '3', ''],
    ]);
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ read: 4, imported: 4, rejected: 0 });
    expect(summary.rejectedCells).toEqual({ csp: 2, pollingStation: 1 });
    // "44" (Clergé, religieux) reveals a religion; "312" lost its leading zero in a spreadsheet.
    expect(await stored(org.id)).toEqual([
      ['3', null],
      ['37', '0312'],
      [null, '0007'],
      [null, null],
    ]);
    const dump = await plainDump(s.db, s.config.databaseUrl);
    expect(dump).not.toContain('musulman');
    expect(dump).not.toContain('Mosquée');
  });

  it('SEG-2: a rejected row keeps no out-of-vocabulary cell in its quarantine', async () => {
    const { source } = await memberSource();
    const file = writeCsv(files.file('quarantine.csv'), [
      ['Nom', 'Email', 'CSP'],
      // Rejected whole: its only identifier, the email, is invalid.
      ['', 'pas-un-email', 'catholique'],
    ]);
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ rejected: 1, rejectedCells: { csp: 1 } });
    const [row] = await listRejections(s.db, {
      keys: s.keys,
      importId: summary.importId,
      actor: 'test',
    });
    expect(row!.cells).not.toHaveProperty('CSP');
    expect(JSON.stringify(row)).not.toContain('catholique');
  });

  it('SEG-2: a contact added directly takes only vocabulary values too', async () => {
    const { org, source } = await memberSource();
    const add = (attributes: object) =>
      addContact(s.db, {
        keys: s.keys,
        orgId: org.id,
        sourceId: source.id,
        identity: { birthName: 'Roux', email: 'roux2@exemple.fr' },
        attributes,
        actor: 'test',
      });
    await expect(add({ csp: 'musulman' })).rejects.toBeInstanceOf(DomainError);
    await expect(add({ pollingStation: 'Église' })).rejects.toBeInstanceOf(DomainError);
    await expect(add({ csp: '44' })).rejects.toBeInstanceOf(DomainError);
    await expect(add({ csp: '52', pollingStation: '0101' })).resolves.toBeDefined();
  });

  it('SEG-2: the database itself refuses a csp or polling station outside the vocabularies', async () => {
    const { org } = await memberSource();
    const insert = (csp: string, station: string) =>
      s.db
        .execute(
          sql`insert into contacts (id, org_id, identity, csp, polling_station)
            values (gen_random_uuid(), ${org.id}, '\\x00'::bytea, ${csp}, ${station})`,
        )
        .then(
          () => 'inserted',
          (e: { cause?: { message?: string } }) => String(e.cause?.message),
        );
    expect(await insert('musulman', '0001')).toMatch(/contacts_csp_pcs_2020/);
    expect(await insert('44', '0001')).toMatch(/contacts_csp_pcs_2020/);
    expect(await insert('37', 'bureau 1')).toMatch(/contacts_polling_station_code/);
    expect(await insert('37', '0000')).toMatch(/contacts_polling_station_code/);
  });
});

describe('forbidden headers (SEG-2)', () => {
  const forbidden = [
    'Religion',
    'Confession',
    'Origine',
    'Né(e) à',
    'Lieu de naissance',
    'Pays',
    'Ethnie',
    'Syndicat',
    'Santé',
    'Country of birth',
    'Ethnicity',
    'Trade union',
    'Health',
    'Faith',
    'الدين',
    'الديانة',
    'الجنسية',
    'الأصل',
    'مكان الازدياد',
    'مكان الولادة',
    'البلد',
    'العرق',
    'النقابة',
    'الصحة',
  ];

  it('SEG-2: a column whose header names a forbidden criterion (FR, EN, AR) is dropped, and the summary names its rule', async () => {
    const { org, source } = await memberSource();
    const file = writeCsv(files.file('forbidden.csv'), [
      ['Nom', 'Email', ...forbidden],
      ['Roux', 'roux@exemple.fr', ...forbidden.map(() => '3')],
    ]);
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ imported: 1, rejected: 0 });
    for (const header of forbidden) {
      expect(summary.droppedRules[header], header).toBeDefined();
      if (summary.droppedRules[header] === 'SEG-2')
        expect(summary.unmappedColumns).toContain(header);
    }
    // Birthplaces keep their own rule (SRC-2), as for electoral lists; the others are SEG-2.
    expect(summary.droppedRules['Lieu de naissance']).toBe('SRC-2');
    expect(summary.droppedRules['Religion']).toBe('SEG-2');
    expect(summary.droppedRules['الدين']).toBe('SEG-2');
    expect(await stored(org.id)).toEqual([[null, null]]);
  });

  it.each([
    ['Religion', 'csp'],
    ['Religion', 'pollingStation'],
    ['Confession', 'sex'],
    ['Pays', 'communeName'],
    ['Ethnie', 'consentWording'],
    ['Santé', 'streetAddress'],
    ['الدين', 'csp'],
    ['مكان الولادة', 'communeName'],
    ['الجنسية', 'csp'],
  ])(
    'SEG-2: mapping the forbidden column "%s" to %s is refused, naming the column and never its values',
    async (header, field) => {
      const { org, source } = await memberSource();
      const file = writeCsv(files.file('map-forbidden.csv'), [
        ['Nom', 'Email', header],
        ['Roux', 'roux@exemple.fr', 'musulman'],
      ]);
      const error = await run(source.id, file, { mapping: [`${header}=${field}`] }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'refused', rule: 'SEG-2' });
      expect((error as Error).message).toContain(header);
      expect((error as Error).message).not.toContain('musulman');
      expect(await stored(org.id)).toEqual([]);
      // Explicitly ignoring it is fine.
      await expect(run(source.id, file, { mapping: [`${header}=ignore`] })).resolves.toMatchObject({
        imported: 1,
      });
    },
  );

  it('SEG-2 / SRC-2: an electoral list still drops birthplace (SRC-2), nationality (SEG-2) and email (SRC-2), each named with its rule', async () => {
    const org = await makeOrg(s);
    const election = await makeElection(s, org.id);
    const source = await makeSource(s, org.id, { type: 'electoral_list', electionId: election.id });
    const file = writeCsv(files.file('le.csv'), [ELECTORAL_HEADERS, ELECTORAL_ROW]);
    const summary = await run(source.id, file);
    expect(summary.droppedRules).toEqual({
      CommuneDeNaissance: 'SRC-2',
      PaysDeNaissance: 'SRC-2',
      Nationalite: 'SEG-2',
      Email: 'SRC-2',
    });
    expect(summary.dropped).toMatchObject({ birthplace: 1, nationality: 1, email: 1 });
    expect(await stored(org.id)).toEqual([[null, '0101']]);
  });

  it('SRC-2 / SEG-2: a birthplace under a short or loose header is dropped, and cannot be laundered into communeName or postalCode', async () => {
    const { org, source } = await memberSource();
    const loose = [
      'LIEU_NAISS',
      'Lieu naiss.',
      'Commune naiss',
      'CP naissance',
      'Code INSEE naissance',
      'Dép. naissance',
      'Ville natale',
      'Town of birth',
      'Hometown',
      'Born in',
    ];
    const cells = ['Lyon', 'Lyon', 'Lyon', '69003', '69123', '69', 'Lyon', 'Lyon', 'Lyon', 'Lyon'];
    const file = writeCsv(files.file('birthplace-loose.csv'), [
      ['Nom', 'Email', 'Date de naissance', 'Année de naissance', 'Nom de naissance', ...loose],
      ['Roux', 'roux@exemple.fr', '01/02/1977', '1977', 'Roux', ...cells],
    ]);
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ imported: 1, rejected: 0 });
    for (const header of loose) expect(summary.droppedRules[header], header).toBe('SEG-2');
    for (const header of ['Date de naissance', 'Année de naissance', 'Nom de naissance'])
      expect(summary.droppedRules[header], header).toBeUndefined();
    for (const [header, field] of [
      ['LIEU_NAISS', 'communeName'],
      ['Commune naiss', 'communeName'],
      ['CP naissance', 'postalCode'],
      ['Code INSEE naissance', 'communeCode'],
      ['Ville natale', 'communeName'],
      ['Hometown', 'communeName'],
    ]) {
      const error = await run(source.id, file, { mapping: [`${header}=${field}`] }).catch(
        (e: unknown) => e,
      );
      expect(error, `${header}=${field}`).toMatchObject({ code: 'refused', rule: 'SEG-2' });
      expect((error as Error).message).not.toContain('Lyon');
    }
    const r = (await s.db.execute(
      sql`select commune_code, postal_code, birth_year from contacts where org_id = ${org.id}`,
    )) as unknown as { rows: Record<string, unknown>[] };
    expect(r.rows).toEqual([{ commune_code: null, postal_code: null, birth_year: 1977 }]);
  });

  it('SEG-2 / SRC-2: the import.run audit event counts the dropped columns by rule, never their headers', async () => {
    const org = await makeOrg(s);
    const election = await makeElection(s, org.id);
    const source = await makeSource(s, org.id, { type: 'electoral_list', electionId: election.id });
    const file = writeCsv(files.file('le-audit.csv'), [
      [...ELECTORAL_HEADERS, 'Religion'],
      [...ELECTORAL_ROW, 'catholique'],
    ]);
    const summary = await run(source.id, file);
    const r = (await s.db.execute(
      sql`select summary from audit_events where action = 'import.run' and entity_id = ${summary.importId}`,
    )) as unknown as { rows: { summary: Record<string, unknown> }[] };
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.summary.droppedRules).toEqual({ 'SRC-2': 3, 'SEG-2': 2 });
    const text = JSON.stringify(r.rows[0]!.summary);
    for (const header of ['CommuneDeNaissance', 'Nationalite', 'Religion', 'Email', 'catholique'])
      expect(text).not.toContain(header);
  });
});

describe('explicit mappings into targeting fields (SEG-2)', () => {
  it('SEG-2: --map into csp is refused when the column does not hold PCS codes, before anything is written', async () => {
    const { org, source } = await memberSource();
    const file = writeCsv(files.file('notes.csv'), [
      ['Nom', 'Email', 'Notes'],
      ['Roux', 'roux@exemple.fr', '37'],
      ['Blanc', 'blanc@exemple.fr', 'musulman'],
    ]);
    const error = await run(source.id, file, { mapping: ['Notes=csp'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'refused', rule: 'SEG-2' });
    expect((error as Error).message).toMatch(/column "Notes" cannot be mapped to csp/);
    expect((error as Error).message).not.toContain('musulman');
    expect(await stored(org.id)).toEqual([]);
  });

  it.each([
    ['sex', 'catholique'],
    ['pollingStation', 'juif'],
    ['postalCode', 'maghrébin'],
    ['birthYear', 'Maroc'],
    ['communeCode', 'Algérie'],
  ])('SEG-2: --map Notes=%s is refused when the values do not fit', async (field, value) => {
    const { org, source } = await memberSource();
    const file = writeCsv(files.file('notes2.csv'), [
      ['Nom', 'Email', 'Notes'],
      ['Roux', 'roux@exemple.fr', value],
    ]);
    await expect(run(source.id, file, { mapping: [`Notes=${field}`] })).rejects.toMatchObject({
      rule: 'SEG-2',
    });
    expect(await stored(org.id)).toEqual([]);
  });

  it('SEG-2: --map into communeName is sampled: a column that names no commune of the row’s postal code is refused', async () => {
    const { org, source } = await memberSource();
    const file = writeCsv(files.file('commune-notes.csv'), [
      ['Nom', 'Email', 'Code postal', 'Notes', 'Lieu'],
      ['Roux', 'roux@exemple.fr', '69003', 'musulman', 'Lyon'],
      ['Blanc', 'blanc@exemple.fr', '75016', 'Maroc', 'Paris'],
    ]);
    const error = await run(source.id, file, { mapping: ['Notes=communeName'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'refused', rule: 'SEG-2' });
    expect((error as Error).message).toMatch(/column "Notes" cannot be mapped to communeName/);
    expect((error as Error).message).not.toMatch(/musulman|Maroc/);
    expect(await stored(org.id)).toEqual([]);
    // Communes of the rows' postal codes fit, and are resolved to their INSEE codes.
    await expect(run(source.id, file, { mapping: ['Lieu=communeName'] })).resolves.toMatchObject({
      imported: 2,
    });
    const r = (await s.db.execute(
      sql`select commune_code from contacts where org_id = ${org.id} order by commune_code`,
    )) as unknown as { rows: { commune_code: string | null }[] };
    expect(r.rows.map((x) => x.commune_code)).toEqual(['69123', '75056']);
  });

  it('a mapping whose values fit is accepted (blank cells are not misfits)', async () => {
    const { org, source } = await memberSource();
    const file = writeCsv(files.file('fits.csv'), [
      ['Nom', 'Email', 'Profession', 'BV'],
      ['Roux', 'roux@exemple.fr', '62', '12'],
      ['Blanc', 'blanc@exemple.fr', '', '0013'],
    ]);
    const summary = await run(source.id, file, {
      mapping: ['Profession=csp', 'BV=pollingStation'],
    });
    expect(summary).toMatchObject({ imported: 2, rejectedCells: {} });
    expect(await stored(org.id)).toEqual([
      ['62', '0012'],
      [null, '0013'],
    ]);
  });

  it('SEG-2: the wizard preview names the rule of each dropped column and refuses a misfit mapping', async () => {
    const { source } = await memberSource();
    const file = writeCsv(files.file('preview.csv'), [
      ['Nom', 'Email', 'Religion', 'الجنسية', 'Notes'],
      ['Roux', 'roux@exemple.fr', 'x', 'y', 'musulman'],
    ]);
    const preview = await previewImport(s.db, {
      sourceId: source.id,
      file,
      actor: 'test',
      clock: s.clock,
    });
    expect(preview.droppedRules).toEqual({ Religion: 'SEG-2', الجنسية: 'SEG-2' });
    expect(preview.columns.find((c) => c.header === 'Religion')).toEqual({
      header: 'Religion',
      field: null,
      dropped: { reason: 'forbidden_criterion', rule: 'SEG-2' },
    });
    await expect(
      previewImport(s.db, {
        sourceId: source.id,
        file,
        mapping: ['Notes=csp'],
        actor: 'test',
        clock: s.clock,
      }),
    ).rejects.toMatchObject({ rule: 'SEG-2' });
    await expect(
      previewImport(s.db, {
        sourceId: source.id,
        file,
        mapping: ['Religion=csp'],
        actor: 'test',
        clock: s.clock,
      }),
    ).rejects.toMatchObject({ rule: 'SEG-2' });
  });
});
