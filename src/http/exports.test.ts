// SEC-1: exports of identifiers need the DPO's approval (four eyes), are watermarked, neutralise
// formula cells in CSV and XLSX, are downloaded once, and appear in the audit log.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { callerOf, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApiToken } from '../domain/access/api-tokens.ts';
import { listAuditEvents } from '../domain/audit/list-audit.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { neutraliseCell } from '../domain/exports/neutralise.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let segmentId: string;
let manager: Staff;
let dpo: Staff;

const HOSTILE = [
  '=HYPERLINK("http://evil.example","x")',
  '+SUM(1,2)',
  '-2+3',
  '@cmd',
  '\tTabbed',
  '\rReturn',
];

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  app = createApp(s);
  orgId = (await makeOrg(s)).id;
  const source = await makeSource(s, orgId, { type: 'member_file' });
  for (const [i, hostile] of HOSTILE.entries())
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: {
        birthName: hostile,
        firstNames: 'Camille',
        phone: `+3361234560${i}`,
        streetAddress: `${i} rue des Lilas`,
      },
      attributes: { communeCode: '69123', postalCode: '69001' },
      actor: 'test',
    });
  manager = await makeStaff(s, orgId, 'manager');
  dpo = await makeStaff(s, orgId, 'dpo');
  const seg = await call(manager, 'POST', `/api/orgs/${orgId}/segments`, {
    name: 'Tous',
    where: { and: [] },
  });
  segmentId = seg.body.id;
});
afterAll(() => s.dispose());

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

async function approvedExport(format: 'csv' | 'xlsx') {
  const requested = await call(manager, 'POST', `/api/orgs/${orgId}/exports`, {
    segmentId,
    format,
    reason: 'Envoi du journal de campagne par la poste',
  });
  expect(requested.status).toBe(201);
  const approved = await call(dpo, 'POST', `/api/exports/${requested.body.id}/approve`, {
    note: 'Courrier papier uniquement',
  });
  expect(approved.status).toBe(200);
  return requested.body.id as string;
}

describe('exports of identifiers (SEC-1)', () => {
  it('neutralises every cell starting with = + - @ tab or carriage return', () => {
    for (const v of HOSTILE) expect(neutraliseCell(v)).toBe(`'${v}`);
    expect(neutraliseCell('Dupont')).toBe('Dupont');
    expect(neutraliseCell('')).toBe('');
  });

  it('cannot be downloaded before the DPO approves, nor approved by its requester', async () => {
    const requested = await call(manager, 'POST', `/api/orgs/${orgId}/exports`, {
      segmentId,
      format: 'csv',
      reason: 'Relance des adhérents',
    });
    const early = await call(manager, 'GET', `/api/exports/${requested.body.id}/file`);
    expect(early.status).toBe(403);
    expect(early.body.error.rule).toBe('SEC-1');
    // A manager cannot approve (no permission), the DPO cannot download (not the requester).
    expect(
      (await call(manager, 'POST', `/api/exports/${requested.body.id}/approve`, {})).status,
    ).toBe(403);
    const rejected = await call(dpo, 'POST', `/api/exports/${requested.body.id}/reject`, {
      note: 'Pas de besoin établi',
    });
    expect(rejected.body.status).toBe('rejected');
    expect((await call(manager, 'GET', `/api/exports/${requested.body.id}/file`)).status).toBe(403);
  });

  it('exports the filter the DPO approved, even if the segment is edited afterwards', async () => {
    const narrow = await call(manager, 'POST', `/api/orgs/${orgId}/segments`, {
      name: 'Personne',
      where: { field: 'sex', op: 'eq', value: 'F' },
    });
    const requested = await call(manager, 'POST', `/api/orgs/${orgId}/exports`, {
      segmentId: narrow.body.id,
      format: 'csv',
      reason: 'Test',
    });
    await call(dpo, 'POST', `/api/exports/${requested.body.id}/approve`, {});
    await call(manager, 'PUT', `/api/segments/${narrow.body.id}`, {
      name: 'Tout le monde',
      where: { and: [] },
    });
    const file = await call(manager, 'GET', `/api/exports/${requested.body.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('x-isoloir-rows')).toBe('0');
  });

  it('refuses the approval of a DPO whom the requester appointed (four eyes)', async () => {
    const owner = await makeStaff(s, orgId, 'owner');
    const appointed = await call(owner, 'POST', `/api/orgs/${orgId}/users`, {
      email: 'puppet@staff.example',
      displayName: 'Puppet',
      role: 'dpo',
      password: 'a password long enough',
    });
    const puppet = await createApiToken(s.db, {
      userId: appointed.body.user.id,
      input: { label: 'p', orgId, scopes: ['export.approve'] },
      actor: 'test',
    });
    const requested = await call(owner, 'POST', `/api/orgs/${orgId}/exports`, {
      segmentId,
      format: 'csv',
      reason: 'Test',
    });
    const approval = await call(puppet, 'POST', `/api/exports/${requested.body.id}/approve`, {});
    expect(approval.status).toBe(403);
    expect(approval.body.error.message).toMatch(/appointed by the requester/);
  });

  it('writes a watermarked CSV with neutralised cells, once, and audits it with its approval', async () => {
    const id = await approvedExport('csv');
    const file = await call(manager, 'GET', `/api/exports/${id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/attachment/);
    const rows = parse(file.raw.toString('utf8').replace(/^\uFEFF/, ''), {
      relax_column_count: true,
    }) as string[][];
    expect(rows[0]![0]).toMatch(
      new RegExp(
        `Isoloir export ${id} .*requested by ${manager.email}.*approved by ${dpo.email}.*2026-11-24T10:00:00`,
      ),
    );
    expect(rows[1]).toContain('birth_name');
    const data = rows.slice(2);
    expect(data).toHaveLength(HOSTILE.length);
    for (const row of data) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(row.at(-1)).toBe(id); // each row says which export it came from
    }
    // Names are stored trimmed, so the tab and CR cases arrive without their leading character.
    expect(data.map((r) => r[1]).sort()).toEqual(
      HOSTILE.map((h) => neutraliseCell(h.trim())).sort(),
    );
    expect(data[0]![5]).toMatch(/^'\+336/); // phone numbers too

    expect((await call(manager, 'GET', `/api/exports/${id}/file`)).status).toBe(409);
    const events = await listAuditEvents(s.db, { orgId, entityId: id });
    expect(events.map((e) => e.action).reverse()).toEqual([
      'export.request',
      'export.approve',
      'export.download',
    ]);
    const download = events[0]!;
    expect(download.summary).toMatchObject({ rows: HOSTILE.length, approvedBy: dpo.userId });
    expect(events[1]!.actor).toMatch(new RegExp(`^user:${dpo.userId}/token:`));
  });

  it('writes a watermarked XLSX whose cells are text, never formulas, and neutralised', async () => {
    const id = await approvedExport('xlsx');
    const file = await call(manager, 'GET', `/api/exports/${id}/file`);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.raw as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('export')!;
    expect(String(sheet.getRow(1).getCell(1).value)).toMatch(`Isoloir export ${id}`);
    expect(sheet.headerFooter.oddHeader).toMatch(`Isoloir export ${id}`);
    let cells = 0;
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        cells++;
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(String(cell.value)).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
    expect(cells).toBeGreaterThan(HOSTILE.length * 5);
    const events = await listAuditEvents(s.db, { orgId, entityId: id, action: 'export.download' });
    expect(events[0]!.summary).toMatchObject({ rows: HOSTILE.length, format: 'xlsx' });
  });
});
