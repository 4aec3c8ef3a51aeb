// Issue 13, item 4: what a failed import keeps, and the file's name, never hold personal data in
// clear. `imports.error` holds only what db/errors.ts allows (no query, no parameters, no quoted
// value); the uploaded file's name is sealed with the organisation's key and opened only for staff
// who can read the import (CLI `import show`, GET /api/imports/:id), never in the audit log.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { ELECTORAL_HEADERS, tempDir, writeCsv } from '../../test/files.ts';
import { plainDump } from '../../test/plain-dump.ts';
import { addToOrg, bearer, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, testDbKind, type TestServices } from '../../test/test-db.ts';
import { createApp } from '../http/app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let staff: Staff;
const files = tempDir();
const cli = cliRunner(() => s);

// A voter whose name, street, birth year and postal code must not come back through an error.
const NAME = 'DUPONTEL';
const STREET = 'impasse des Lilas Mauves';
// prettier-ignore
const ROW = [NAME, '', 'Marie-Ysoline', 'F', '03/04/1937', '', '', '', '17', STREET, '44000', 'Nantes', '44109', '0101', ''];
const FILE_NAME = 'liste Dupontel Marie-Ysoline.csv';

beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  staff = await makeStaff(s, (await makeOrg(s)).id, 'manager', { tokenOrgId: null });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

async function electoralSource() {
  const org = await makeOrg(s);
  await addToOrg(s, staff, org.id, 'manager');
  const election = await makeElection(s, org.id);
  return makeSource(s, org.id, { type: 'electoral_list', electionId: election.id });
}

/** The contacts table refuses every row, the way a database error meets an import midway. */
async function failContactInserts(body: string) {
  await s.db.execute(
    sql.raw(
      `create or replace function test_refuse_contact() returns trigger language plpgsql as $$ begin ${body}; return new; end $$`,
    ),
  );
  await s.db.execute(sql.raw('drop trigger if exists test_refuse_contact on contacts'));
  await s.db.execute(
    sql.raw(
      'create trigger test_refuse_contact before insert on contacts for each row execute function test_refuse_contact()',
    ),
  );
}
async function acceptContactInserts() {
  await s.db.execute(sql.raw('drop trigger if exists test_refuse_contact on contacts'));
  await s.db.execute(sql.raw('drop function if exists test_refuse_contact()'));
}

async function httpImport(sourceId: string, file: string, name: string) {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(file)]), name);
  return app.request(`/api/sources/${sourceId}/imports`, {
    method: 'POST',
    headers: bearer(staff),
    body,
  });
}

async function importShown(importId: string) {
  const shown = await cli('import', 'show', importId, '--json');
  expect(shown.code, shown.stderr).toBe(0);
  const api = await app.request(`/api/imports/${importId}`, { headers: bearer(staff) });
  expect(api.status).toBe(200);
  return { cli: shown.stdout, api: await api.text() };
}

const lastImportId = async (sourceId: string) =>
  (
    (await s.db.execute(
      sql`select id from imports where source_id = ${sourceId} order by started_at desc limit 1`,
    )) as unknown as { rows: { id: string }[] }
  ).rows[0]!.id;

describe(`a failed import on ${testDbKind}`, () => {
  it('keeps the database error without the query, its parameters or any value of the file: import show --json and GET /api/imports/:id never hold the name, the street, the birth year', async () => {
    const source = await electoralSource();
    const file = writeCsv(files.file('refused.csv'), [ELECTORAL_HEADERS, ROW]);
    await failContactInserts("raise exception 'refused by a test trigger'");
    try {
      const r = await cli('import', file, '--source', source.id, '--json');
      expect(r.code).not.toBe(0);
      const res = await httpImport(source.id, file, 'refused.csv');
      expect(res.status).toBe(500);
    } finally {
      await acceptContactInserts();
    }
    const shown = await importShown(await lastImportId(source.id));
    for (const text of [shown.cli, shown.api]) {
      const record = JSON.parse(text) as { status: string; error: string };
      expect(record.status).toBe('failed');
      expect(record.error).toBe(
        'the import failed: database error P0001 (refused by a test trigger)',
      );
      for (const secret of [NAME, STREET, 'Lilas', '1937', '44000', 'Failed query', 'params'])
        expect(text).not.toContain(secret);
    }
  });

  it('keeps a database message without the value it quotes (invalid input syntax: "…")', async () => {
    const source = await electoralSource();
    const file = writeCsv(files.file('quoted.csv'), [ELECTORAL_HEADERS, ROW]);
    // The database quotes the value it could not read: here the row's postal code and a street.
    await failContactInserts(`perform (new.postal_code || ' ${STREET}')::int`);
    try {
      expect((await cli('import', file, '--source', source.id)).code).not.toBe(0);
    } finally {
      await acceptContactInserts();
    }
    const shown = await importShown(await lastImportId(source.id));
    for (const text of [shown.cli, shown.api]) {
      expect(JSON.parse(text).error).toBe(
        'the import failed: database error 22P02 (invalid input syntax for type integer)',
      );
      for (const secret of [STREET, 'Lilas', '44000']) expect(text).not.toContain(secret);
    }
  });

  it('keeps no path or name of the file when the file cannot be read', async () => {
    const source = await electoralSource();
    const missing = files.file(FILE_NAME.replace('.csv', '-absent.csv'));
    const r = await cli('import', missing, '--source', source.id);
    expect(r.code).not.toBe(0);
    const shown = await importShown(await lastImportId(source.id));
    expect(r.stderr).toMatch(/cannot read the file/);
    for (const text of [shown.cli, shown.api]) {
      expect(JSON.parse(text).error).toMatch(/^cannot read the file: ENOENT/);
      const { error, summary } = JSON.parse(text) as { error: string; summary: { error: string } };
      for (const kept of [error, summary.error]) {
        expect(kept).not.toMatch(/Dupontel/i);
        expect(kept).not.toContain(files.dir);
      }
    }
  });
});

describe(`the uploaded file's name on ${testDbKind}`, () => {
  it('is stored sealed, shown back opened by import show and GET /api/imports/:id, and never in clear in the database or the audit log', async () => {
    const source = await electoralSource();
    const file = writeCsv(files.file(FILE_NAME), [ELECTORAL_HEADERS, ROW]);
    const byCli = await cli('import', file, '--source', source.id, '--json');
    expect(byCli.code, byCli.stderr).toBe(0);
    const res = await httpImport(source.id, file, 'fichier Dupontel Marie-Ysoline.xlsx.csv');
    expect(res.status).toBe(201);
    const byHttp = (await res.json()) as { importId: string };

    const cliShown = await importShown(byCli.json().importId);
    expect(JSON.parse(cliShown.cli).fileName).toBe(FILE_NAME);
    expect(JSON.parse(cliShown.api).fileName).toBe(FILE_NAME);
    const httpShown = await importShown(byHttp.importId);
    expect(JSON.parse(httpShown.api).fileName).toBe('fichier Dupontel Marie-Ysoline.xlsx.csv');

    const dump = await plainDump(s.db, s.config.databaseUrl);
    expect(dump).not.toMatch(/Dupontel/i);
    expect(dump).not.toMatch(/Marie-Ysoline/i);
  });
});
