// Issue 13, item 1: hostile XLSX files (zip bombs, lying zip headers, huge cells, zips that are
// not workbooks) are refused with the limit and its setting named, before they are inflated;
// one huge cell rejects only its own row; cells and rows without their optional `r` are read.
// Small limits here keep the files small; the 1 GB bomb itself is in src/http/xlsx-bomb.test.ts
// and test/e2e/xlsx-bomb.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../../test/factories.ts';
import {
  inlineRows,
  sharedStringsBomb,
  sharedStringsXml,
  sheetBomb,
  sheetXml,
  writeSharedStringsBomb,
  writeWorkbook,
  writeZip,
} from '../../../../test/hostile-xlsx.ts';
import { tempDir } from '../../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { countContacts, findContactIds } from '../contacts.ts';
import { importContacts, type ImportOptions } from './import-contacts.ts';
import { eq } from 'drizzle-orm';
import { imports } from '../../../db/schema/index.ts';
import { getImport, listRejections } from './import-records.ts';
import { readXlsx } from './read-xlsx.ts';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './limits.ts';
import { previewImport } from './preview-import.ts';

let s: TestServices;
const files = tempDir('isoloir-xlsx-limits-');
const MiB = 1024 * 1024;

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

async function supporterSource() {
  const org = await makeOrg(s);
  const source = await makeSource(s, org.id, { type: 'supporter_signup' });
  return { org, source };
}

const run = (sourceId: string, file: string, extra: Partial<ImportOptions> = {}) =>
  importContacts(s.db, { keys: s.keys, sourceId, file, actor: 'test', clock: s.clock, ...extra });

const preview = (sourceId: string, file: string, limits: ImportLimits, mapping?: string[]) =>
  previewImport(s.db, { sourceId, file, actor: 'test', clock: s.clock, limits, mapping });

const small: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, maxZipEntryBytes: 16 * MiB };

describe('zip bombs', () => {
  it('refuses shared strings that inflate past ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES at import, preview and mapping check, storing nothing', async () => {
    const { org, source } = await supporterSource();
    const file = files.file('bomb.xlsx');
    const size = writeSharedStringsBomb(file, 40 * MiB);
    expect(size).toBeLessThan(MiB / 2);
    const refusal = {
      code: 'invalid',
      key: 'import.xlsx_entry_too_large',
      params: { part: 'xl/sharedStrings.xml', limit: '16 MiB' },
      message: expect.stringMatching(
        /^the XLSX file's part xl\/sharedStrings\.xml inflates past 16 MiB \(ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES\)/,
      ),
    };
    await expect(run(source.id, file, { limits: small })).rejects.toMatchObject(refusal);
    await expect(preview(source.id, file, small)).rejects.toMatchObject(refusal);
    await expect(preview(source.id, file, small, ['Nom=birthName'])).rejects.toMatchObject(refusal);
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });

  it('stops at the inflated bytes when the zip header understates them', async () => {
    const { source } = await supporterSource();
    const file = files.file('liar.xlsx');
    // The headers say 1 MiB, under the limit; the part inflates to 40 MiB.
    writeSharedStringsBomb(file, 40 * MiB, { declaredSize: MiB });
    await expect(preview(source.id, file, small)).rejects.toMatchObject({
      key: 'import.xlsx_damaged',
      message: expect.stringMatching(
        /part xl\/sharedStrings\.xml inflates past the size its zip header declares/,
      ),
    });
    // And when the headers lie past the limit, the limit is what is named.
    const over = files.file('liar-over.xlsx');
    writeSharedStringsBomb(over, 40 * MiB, { declaredSize: 1024 ** 3 });
    await expect(preview(source.id, over, small)).rejects.toMatchObject({
      key: 'import.xlsx_entry_too_large',
    });
  });

  it('refuses a worksheet that inflates past ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES', async () => {
    const { source } = await supporterSource();
    const file = files.file('sheet-bomb.xlsx');
    writeWorkbook(file, { sheets: { Liste: sheetBomb(40 * MiB) } });
    await expect(preview(source.id, file, small)).rejects.toMatchObject({
      key: 'import.xlsx_entry_too_large',
      params: { part: 'xl/worksheets/sheet1.xml', limit: '16 MiB' },
    });
  });
});

describe('text held in memory', () => {
  it('refuses shared strings whose text passes ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES', async () => {
    const { source } = await supporterSource();
    const file = files.file('many-strings.xlsx');
    // 12 MiB of distinct-looking text (under the 16 MiB part limit), for an 8 MiB text limit.
    writeWorkbook(file, {
      sheets: { Liste: sheetXml(inlineRows([['Nom'], ['Dupont']])) },
      sharedStrings: sharedStringsBomb(12 * MiB),
    });
    const limits = { ...small, maxXlsxTextBytes: 8 * MiB };
    await expect(preview(source.id, file, limits)).rejects.toMatchObject({
      key: 'import.xlsx_text_too_large',
      params: { limit: '8 MiB' },
      message: expect.stringMatching(
        /^the XLSX file's shared strings and cell text take more than 8 MiB \(ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES\)/,
      ),
    });
  });

  it('refuses rows that repeat one long shared string past ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES', async () => {
    const { source } = await supporterSource();
    const file = files.file('repeated.xlsx');
    // One 512 KiB string (under the cell limit), used by 40 cells of one row: 20 MiB of cells.
    const cells = Array.from({ length: 40 }, (_, j) => `<c t="s"><v>${j === 0 ? 0 : 1}</v></c>`);
    writeWorkbook(file, {
      sheets: { Liste: sheetXml(`<row>${cells.join('')}</row>`) },
      sharedStrings: sharedStringsXml(['Nom', 'x'.repeat(512 * 1024)]),
    });
    const limits = { ...small, maxXlsxTextBytes: 8 * MiB };
    await expect(preview(source.id, file, limits)).rejects.toMatchObject({
      key: 'import.xlsx_text_too_large',
    });
  });
});

describe('a huge cell', () => {
  it('rejects its own row under ISOLOIR_IMPORT_MAX_CELL_BYTES, and the rows around it import', async () => {
    const { org, source } = await supporterSource();
    const file = files.file('huge-cell.xlsx');
    const huge = 'é'.repeat(MiB); // 2 MiB in UTF-8
    const rows = inlineRows([
      ['Nom', 'Prénom', 'Email'],
      ['Dupont', 'Anne', 'anne.dupont@exemple.fr'],
      ['Durand', huge, 'paul.durand@exemple.fr'],
    ]);
    // Row 4 uses a shared string over the limit; row 5 is ordinary again.
    const shared =
      '<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="s"><v>1</v></c></row>' +
      '<row r="5"><c r="A5" t="inlineStr"><is><t>Martin</t></is></c><c r="C5" t="inlineStr"><is><t>zoe.martin@exemple.fr</t></is></c></row>';
    writeWorkbook(file, {
      sheets: { Liste: sheetXml(rows + shared) },
      sharedStrings: sharedStringsXml(['Petit', huge]),
    });
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ read: 4, imported: 2, rejected: 2 });
    const rejections = await listRejections(s.db, { keys: s.keys, importId: summary.importId });
    expect(rejections.map((r) => [r.line, r.reason])).toEqual([
      [3, 'a cell is longer than 1 MiB (ISOLOIR_IMPORT_MAX_CELL_BYTES)'],
      [4, 'a cell is longer than 1 MiB (ISOLOIR_IMPORT_MAX_CELL_BYTES)'],
    ]);
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 2 });
  });
});

describe('zips that are not workbooks', () => {
  it.each([
    [
      'a Word document',
      [{ name: 'word/document.xml', content: '<w:document/>' }],
      'import.zip_is_word_document',
      /it looks like a Word document \(\.docx\)/,
    ],
    [
      'an OpenDocument spreadsheet',
      [
        { name: 'mimetype', content: 'application/vnd.oasis.opendocument.spreadsheet', method: 0 },
        { name: 'content.xml', content: '<office:document-content/>' },
      ],
      'import.zip_is_opendocument',
      /OpenDocument/,
    ],
    [
      'a zip of anything',
      [{ name: 'notes.txt', content: 'bonjour' }],
      'import.zip_not_workbook',
      /zip archive but not an XLSX workbook \(it has no xl\/workbook\.xml\)/,
    ],
  ] as const)('refuses %s, saying what it is', async (_label, parts, key, message) => {
    const { source } = await supporterSource();
    const file = files.file(`${key}.xlsx`);
    writeZip(file, [...parts]);
    await expect(run(source.id, file)).rejects.toMatchObject({ key, message });
  });
});

describe('cells and rows without their optional r attribute', () => {
  it('reads them in order, one after the previous (ECMA-376 18.3.1.4, 18.3.1.73)', async () => {
    const { org, source } = await supporterSource();
    const file = files.file('no-refs.xlsx');
    const noRefs = inlineRows(
      [
        ['Nom', 'Prénom', 'Email'],
        ['Dupont', 'Anne', 'anne.dupont@exemple.fr'],
      ],
      false,
    );
    // Then a row numbered 5 whose second cell is given by reference and the third follows it.
    const mixed =
      '<row r="5"><c t="inlineStr"><is><t>Durand</t></is></c><c r="C5" t="inlineStr"><is><t>paul.durand@exemple.fr</t></is></c></row>' +
      '<row><c t="inlineStr"><is><t>Martin</t></is></c><c t="inlineStr"><is><t>Zoé</t></is></c><c t="inlineStr"><is><t>zoe.martin@exemple.fr</t></is></c></row>';
    writeWorkbook(file, { sheets: { Liste: sheetXml(noRefs + mixed) } });
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ read: 3, imported: 3, rejected: 0 });
    for (const email of [
      'anne.dupont@exemple.fr',
      'paul.durand@exemple.fr',
      'zoe.martin@exemple.fr',
    ])
      expect(await findContactIds(s.db, { keys: s.keys, orgId: org.id, email })).toHaveLength(1);
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 3 });
  });
});

// Review of issue 13: sparse rows (one cell far to the right) and a styles part of millions of
// cell formats took hundreds of MB while their text stayed small.
describe('sparse rows and hostile styles', () => {
  const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const stylesXml = (body: string, times: number) => ({
    head: `<?xml version="1.0"?><styleSheet xmlns="${NS}"><cellXfs>`,
    body,
    times,
    tail: '</cellXfs></styleSheet>',
  });
  const header = inlineRows([['Nom', 'Prénom', 'Email']]);
  const records = async (file: string, limits: ImportLimits = DEFAULT_IMPORT_LIMITS) => {
    const out: unknown[] = [];
    for await (const r of readXlsx(file, { bytes: { read: 0, total: 0 }, limits })) out.push(r);
    return out;
  };

  it('rejects a row whose cell lies past the header’s columns, without making the empty cells before it', async () => {
    const file = files.file('lone-cell.xlsx');
    const lone = '<row r="2"><c r="XFC2"><v>1</v></c></row>';
    const good = '<row r="3"><c r="A3" t="inlineStr"><is><t>Dupont</t></is></c></row>';
    writeWorkbook(file, { sheets: { Liste: sheetXml(header + lone + good) } });
    expect(await records(file)).toEqual([
      { line: 1, cells: ['Nom', 'Prénom', 'Email'] },
      { line: 2, error: 'more cells (16383) than columns (3)' },
      { line: 3, cells: ['Dupont'] },
    ]);
  });

  it('rejects a header row with a cell past 10,000 columns (as the CSV reader does)', async () => {
    const { source } = await supporterSource();
    const file = files.file('wide-header.xlsx');
    writeWorkbook(file, {
      sheets: { Liste: sheetXml('<row r="1"><c r="XFC1"><v>1</v></c></row>') },
    });
    await expect(run(source.id, file)).rejects.toMatchObject({
      key: 'import.header_unreadable',
      message: expect.stringMatching(/more cells than the limit \(10000\)/),
    });
  });

  it('counts the empty cells sparse rows pad against ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES', async () => {
    const file = files.file('sparse.xlsx');
    const wide = `<row r="1">${Array.from({ length: 2000 }, (_, i) => `<c t="inlineStr"><is><t>c${i}</t></is></c>`).join('')}</row>`;
    // 3,000 rows each with one cell in the last column: a few KB of text, 48 MB of cells.
    writeWorkbook(file, {
      sheets: {
        Liste: {
          head: `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${wide}`,
          body: '<row><c r="BXX9"><v>1</v></c></row>',
          times: 3000,
          tail: '</sheetData></worksheet>',
        },
      },
    });
    await expect(
      records(file, { ...DEFAULT_IMPORT_LIMITS, maxXlsxTextBytes: MiB }),
    ).rejects.toMatchObject({
      key: 'import.xlsx_text_too_large',
      params: { limit: '1 MiB' },
    });
  });

  it('refuses styles listing more than 64,000 cell formats (Excel’s limit)', async () => {
    const { org, source } = await supporterSource();
    const file = files.file('xf-bomb.xlsx');
    writeWorkbook(file, {
      sheets: { Liste: sheetXml(header) },
      styles: stylesXml('<xf numFmtId="0"/>'.repeat(10), 6_500),
    });
    const refusal = {
      code: 'invalid',
      key: 'import.xlsx_too_many_cell_formats',
      params: { limit: 64_000 },
    };
    await expect(run(source.id, file)).rejects.toMatchObject(refusal);
    await expect(preview(source.id, file, DEFAULT_IMPORT_LIMITS)).rejects.toMatchObject(refusal);
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });

  it('refuses a styles part inflating past 16 MiB, under ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES', async () => {
    const { source } = await supporterSource();
    const file = files.file('styles-bomb.xlsx');
    // Cell style formats are not held, so only the part's size stops this one.
    writeWorkbook(file, {
      sheets: { Liste: sheetXml(header) },
      styles: {
        head: `<?xml version="1.0"?><styleSheet xmlns="${NS}"><cellStyleXfs>`,
        body: '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'.repeat(100),
        times: 4_000,
        tail: '</cellStyleXfs></styleSheet>',
      },
    });
    await expect(run(source.id, file)).rejects.toMatchObject({
      key: 'import.xlsx_part_too_large',
      params: { part: 'xl/styles.xml', limit: '16 MiB' },
    });
  });

  it('names the workbook’s sheets to the caller but does not store them with the failed import', async () => {
    const { source } = await supporterSource();
    const file = files.file('sheets.xlsx');
    writeWorkbook(file, {
      sheets: { 'Jean Dupont': sheetXml(header), 'Zoé Martin': sheetXml(header) },
    });
    await expect(run(source.id, file, { sheet: 'Liste' })).rejects.toMatchObject({
      key: 'import.xlsx_no_such_sheet',
      message: expect.stringMatching(/its sheets: Jean Dupont, Zoé Martin/),
    });
    const [failed] = await s.db.select().from(imports).where(eq(imports.sourceId, source.id));
    const record = await getImport(s.db, { importId: failed!.id });
    expect(record.status).toBe('failed');
    expect(JSON.stringify(record)).not.toMatch(/Jean|Zoé|Dupont|Martin/);
    expect(JSON.stringify(failed)).not.toMatch(/Jean|Zoé|Dupont|Martin/);
  });
});
