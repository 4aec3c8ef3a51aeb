// SEG-2 through the HTTP API (the web wizard's routes): the preview and the import name the rule
// of each dropped column and count rejected cells; a forbidden column or a misfit mapping is
// refused (422, rule SEG-2); the segment builder's fields carry the PCS 2020 vocabulary.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir, writeCsv } from '../../test/files.ts';
import { bearer, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let manager: Staff;
let orgId: string;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  orgId = (await makeOrg(s)).id;
  manager = await makeStaff(s, orgId, 'manager');
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

function form(file: string, map: string[] = []) {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(file)]), 'f.csv');
  for (const m of map) body.append('map', m);
  return body;
}
const post = async (path: string, body: FormData) => {
  const res = await app.request(path, { method: 'POST', headers: bearer(manager), body });
  return { status: res.status, body: (await res.json()) as any };
};

describe('import routes (SEG-2)', () => {
  it('SEG-2: preview and import name the rule of each dropped column and count rejected cells', async () => {
    const source = await makeSource(s, orgId);
    const file = writeCsv(files.file('a.csv'), [
      ['Nom', 'Email', 'Religion', 'الأصل', 'CSP', 'Bureau de vote'],
      ['Roux', 'roux@exemple.fr', 'musulman', 'x', 'musulman', '0007'],
    ]);
    const preview = await post(`/api/sources/${source.id}/imports/preview`, form(file));
    expect(preview.status).toBe(200);
    expect(preview.body.droppedRules).toEqual({ Religion: 'SEG-2', الأصل: 'SEG-2' });
    const run = await post(`/api/sources/${source.id}/imports`, form(file));
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({
      imported: 1,
      droppedRules: { Religion: 'SEG-2', الأصل: 'SEG-2' },
      rejectedCells: { csp: 1 },
    });
    expect(JSON.stringify(run.body)).not.toContain('musulman');
  });

  it('SEG-2: mapping a forbidden column, or a column whose values do not fit, is refused with 422', async () => {
    const source = await makeSource(s, orgId);
    const file = writeCsv(files.file('b.csv'), [
      ['Nom', 'Email', 'Religion', 'Notes'],
      ['Roux', 'roux2@exemple.fr', 'musulman', 'musulman'],
    ]);
    for (const map of ['Religion=csp', 'Notes=csp', 'Notes=pollingStation'])
      for (const path of ['imports/preview', 'imports']) {
        const r = await post(`/api/sources/${source.id}/${path}`, form(file, [map]));
        expect(r.status, `${path} ${map}`).toBe(422);
        expect(r.body.error.rule).toBe('SEG-2');
        expect(JSON.stringify(r.body)).not.toContain('musulman');
      }
  });
});

describe('segment routes (SEG-2)', () => {
  it('SEG-2: the builder fields carry the PCS 2020 codes with French labels; a free-text csp is refused', async () => {
    const fields = await app.request(`/api/orgs/${orgId}/segment-fields`, {
      headers: bearer(manager),
    });
    const items = ((await fields.json()) as any).items;
    const csp = items.find((f: any) => f.field === 'csp');
    expect(csp.values).toContainEqual({ code: '6', label: 'Ouvriers / Ouvrières', level: 'group' });
    expect(items.find((f: any) => f.field === 'pollingStation').format).toBe('^[0-9]{4}$');
    const count = await app.request(`/api/orgs/${orgId}/segments/count`, {
      method: 'POST',
      headers: { ...bearer(manager), 'content-type': 'application/json' },
      body: JSON.stringify({ where: { field: 'csp', op: 'eq', value: 'musulman' } }),
    });
    expect(count.status).toBe(422);
    expect(((await count.json()) as any).error.rule).toBe('SEG-2');
  });
});
