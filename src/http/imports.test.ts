import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { ELECTORAL_HEADERS, ELECTORAL_ROW, tempDir, writeCsv } from '../../test/files.ts';
import { addToOrg, bearer, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let auth: Record<string, string>;
let staff: Staff;
const files = tempDir();

beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  // A manager (imports need no more), in every organisation the tests make.
  staff = await makeStaff(s, (await makeOrg(s)).id, 'manager', { tokenOrgId: null });
  auth = bearer(staff);
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

function form(file: string, name: string, fields: Record<string, string | string[]> = {}) {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(file)]), name);
  for (const [k, v] of Object.entries(fields))
    for (const value of [v].flat()) body.append(k, value);
  return body;
}

describe('import API', () => {
  it('imports a multipart upload and reads the summary and the rejected rows back', async () => {
    const org = await makeOrg(s);
    await addToOrg(s, staff, org.id, 'manager');
    const election = await makeElection(s, org.id);
    const source = await makeSource(s, org.id, { type: 'electoral_list', electionId: election.id });
    const file = writeCsv(
      files.file('le.csv'),
      [
        [...ELECTORAL_HEADERS, 'Observations'],
        [...ELECTORAL_ROW, 'à relancer'],
        [
          'ROBERT',
          '',
          'Léo',
          'M',
          'hier',
          '',
          '',
          '',
          '2',
          'rue Haute',
          '44000',
          'Nantes',
          '44109',
          '0101',
          '',
          '',
        ],
      ],
      { encoding: 'windows-1252' },
    );
    const res = await app.request(`/api/sources/${source.id}/imports`, {
      method: 'POST',
      headers: auth,
      body: form(file, 'liste électorale.csv', { map: 'Observations=ignore' }),
    });
    expect(res.status).toBe(201);
    const summary = (await res.json()) as Record<string, any>;
    expect(summary).toMatchObject({
      importId: expect.any(String),
      read: 2,
      // ROBERT's birth date ("hier") is invalid: he is imported without it, his line quarantined.
      imported: 2,
      merged: 0,
      rejected: 0,
      invalidFields: { birthDate: 1 },
      suppressed: 0,
      conflicts: 0,
      dropped: { email: 1, birthplace: 1, nationality: 1, Observations: 1 },
      unmappedColumns: ['Observations'],
    });

    const back = await app.request(`/api/imports/${summary.importId}`, { headers: auth });
    expect(await back.json()).toMatchObject({
      status: 'done',
      fileName: 'liste électorale.csv',
      summary: { read: 2 },
    });
    const rejected = await app.request(`/api/imports/${summary.importId}/rejected`, {
      headers: auth,
    });
    expect(((await rejected.json()) as any).items).toEqual([
      {
        line: 3,
        kind: 'kept',
        reason: 'invalid date: field not stored',
        cells: expect.objectContaining({ NomdeNaissance: 'ROBERT' }),
      },
    ]);
  });

  it('answers 400 with the reason for an unreadable file, and for a form without a file', async () => {
    const org = await makeOrg(s);
    await addToOrg(s, staff, org.id, 'manager');
    const source = await makeSource(s, org.id);
    const bad = files.file('bad.bin');
    fs.writeFileSync(bad, Buffer.from([0, 1, 2, 3, 0, 0, 9, 200]));
    const res = await app.request(`/api/sources/${source.id}/imports`, {
      method: 'POST',
      headers: auth,
      body: form(bad, 'x.csv'),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/not a CSV or XLSX file/);

    const empty = new FormData();
    empty.append('note', 'no file');
    const none = await app.request(`/api/sources/${source.id}/imports`, {
      method: 'POST',
      headers: auth,
      body: empty,
    });
    expect(none.status).toBe(400);
    expect(((await none.json()) as any).error.message).toMatch(/no file field named "file"/);
  });

  it('refuses a mapping that would store a nationality, with 422 and SEG-2', async () => {
    const org = await makeOrg(s);
    await addToOrg(s, staff, org.id, 'manager');
    const source = await makeSource(s, org.id);
    const file = writeCsv(files.file('nat.csv'), [
      ['Nom', 'Nationalite'],
      ['Roux', 'Française'],
    ]);
    const res = await app.request(`/api/sources/${source.id}/imports`, {
      method: 'POST',
      headers: auth,
      body: form(file, 'nat.csv', { map: 'Nationalite=csp' }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).error.rule).toBe('SEG-2');
  });
});
