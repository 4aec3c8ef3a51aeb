// A stray quote in a CSV file loses its own line only: a quoted cell that does not close
// properly within MAX_QUOTED_LINES lines (or by the end of the file) is read as a stray quote,
// its line is rejected and reading resumes at the next line; a real multi-line cell still reads
// as one cell.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir } from '../../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { countContacts, findContactIds, getContact } from '../contacts.ts';
import { importContacts } from './import-contacts.ts';
import { listRejections } from './import-records.ts';
import { MAX_QUOTED_LINES, RecordSplitter, type SplitRecord } from './split-records.ts';
import type { ImportSummary } from './summary.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
}, 240_000);
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const STRAY = /^a quote opened on this line is not closed: the line is rejected/;

async function importText(name: string, text: string) {
  const org = await makeOrg(s);
  const source = await makeSource(s, org.id);
  const file = files.file(name);
  fs.writeFileSync(file, text);
  const summary = await importContacts(s.db, {
    keys: s.keys,
    sourceId: source.id,
    file,
    actor: 'test',
    clock: s.clock,
  });
  return { orgId: org.id, summary };
}

/** The summary balances, and its rejected count is the quarantine's. */
async function accounted(summary: ImportSummary) {
  expect(summary.read).toBe(
    summary.imported + summary.merged + summary.rejected + summary.suppressed,
  );
  const rejections = await listRejections(s.db, { keys: s.keys, importId: summary.importId });
  expect(rejections).toHaveLength(summary.rejected);
  return rejections.map((r) => ({ line: r.line, reason: r.reason }));
}

const row = (i: number) => `Nom${i};Prénom${i};contact${i}@exemple.fr`;

describe('a stray quote in a CSV file', () => {
  it('rejects its own row only: 1,000 rows with a stray opening quote on row 3 import 999', async () => {
    const rows = Array.from({ length: 1000 }, (_, k) => row(k + 1));
    rows[2] = 'Nom3;"Prénom3;contact3@exemple.fr'; // row 3, line 4
    rows[9] = '"Nom10, fils";Prénom10;contact10@exemple.fr'; // a real quoted cell further on
    const { orgId, summary } = await importText(
      'stray-1000.csv',
      `Nom;Prénom;Email\n${rows.join('\n')}\n`,
    );
    expect(summary).toMatchObject({ read: 1000, imported: 999, rejected: 1 });
    expect(await accounted(summary)).toEqual([{ line: 4, reason: expect.stringMatching(STRAY) }]);
    expect(await countContacts(s.db, { orgId })).toEqual({ total: 999 });
  }, 120_000);

  it('rejects a stray quote on the last line alone, with or without a final line break', async () => {
    for (const end of ['', '\r\n']) {
      const text = `Nom;Prénom;Email\r\n${row(1)}\r\n${row(2)}\r\nRoux;"Léa;lea@exemple.fr${end}`;
      const { summary } = await importText(`stray-last-${end.length}.csv`, text);
      expect(summary).toMatchObject({ read: 3, imported: 2, rejected: 1 });
      expect(await accounted(summary)).toEqual([{ line: 4, reason: expect.stringMatching(STRAY) }]);
    }
  });

  it('rejects an unclosed quote at the end of the file on its line only: the lines after it import', async () => {
    const text = `Nom;Prénom;Email\n${row(1)}\nGrand;"Paul;grand@exemple.fr\r\n${row(3)}\r${row(4)}\n${row(5)}`;
    const { orgId, summary } = await importText('stray-eof.csv', text);
    expect(summary).toMatchObject({ read: 5, imported: 4, rejected: 1 });
    expect(await accounted(summary)).toEqual([{ line: 3, reason: expect.stringMatching(STRAY) }]);
    expect(await countContacts(s.db, { orgId })).toEqual({ total: 4 });
  });

  it('still reads a real 3-line quoted address as one cell of one row', async () => {
    const text = `Nom;Adresse;Email\n${row(1)}\nPetit;"1 rue Basse\nBâtiment B\r\nEscalier 2";anne.petit@exemple.fr\n${row(3)}\n`;
    const { orgId, summary } = await importText('address.csv', text);
    expect(summary).toMatchObject({ read: 3, imported: 3, rejected: 0 });
    await accounted(summary);
    const [id] = await findContactIds(s.db, {
      keys: s.keys,
      orgId,
      email: 'anne.petit@exemple.fr',
    });
    const contact = await getContact(s.db, { keys: s.keys, orgId, contactId: id! });
    expect(contact.identity.streetAddress).toMatch(/^1 rue Basse\s+Bâtiment B\s+Escalier 2$/);
  });
});

const STRAY_LINE =
  'a quote opened on this line is not closed: the line is rejected, reading resumes at the next line';

/** Splits `text` fed in pieces of the sizes given (cycled; none: whole): [line, cells or reason]. */
function split(
  text: string,
  cuts: number[] = [],
  limits = { maxCellBytes: 1 << 20, maxRecordBytes: 1 << 22, maxCells: 100 },
): [number, string[] | string][] {
  const splitter = new RecordSplitter(';', limits);
  const out: SplitRecord[] = [];
  if (cuts.length === 0) out.push(...splitter.push(text));
  for (let at = 0, k = 0; cuts.length > 0 && at < text.length; k++) {
    const size = cuts[k % cuts.length]!;
    out.push(...splitter.push(text.slice(at, at + size)));
    at += size;
  }
  out.push(...splitter.end());
  return out.map((r) => [r.line, 'cells' in r ? r.cells : r.error]);
}

describe('the record splitter and quotes', () => {
  it('keeps a quote inside an unquoted cell as a character', () => {
    expect(split('Jean "Jo" Dupont;x\na"b;"c"\n')).toEqual([
      [1, ['Jean "Jo" Dupont', 'x']],
      [2, ['a"b', 'c']],
    ]);
  });

  it('resumes at the line after a stray quote, wherever the text is cut', () => {
    const text = 'a;b\r\nc;"d\r\ne;f\r\ng;"h"\r\n"i;j\nk;l';
    const expected = [
      [1, ['a', 'b']],
      [2, STRAY_LINE],
      [3, ['e', 'f']],
      [4, ['g', 'h']],
      [5, STRAY_LINE],
      [6, ['k', 'l']],
    ];
    expect(split(text)).toEqual(expected);
    for (const cuts of [[1], [2], [3, 1], [5, 7, 2]]) expect(split(text, cuts)).toEqual(expected);
  });

  it(`reads a quoted cell of ${MAX_QUOTED_LINES} lines as one cell, and one still open after that as a stray quote`, () => {
    const cell = (lines: number) => Array.from({ length: lines }, (_, k) => `l${k}`).join('\n');
    expect(split(`"${cell(MAX_QUOTED_LINES)}";x\ny;z\n`)).toEqual([
      [1, [cell(MAX_QUOTED_LINES), 'x']],
      [MAX_QUOTED_LINES + 1, ['y', 'z']],
    ]);
    const out = split(`"${cell(MAX_QUOTED_LINES + 1)}";x\ny;z\n`);
    expect(out).toHaveLength(MAX_QUOTED_LINES + 2);
    expect(out[0]).toEqual([1, STRAY_LINE]);
    expect(out[1]).toEqual([2, ['l1']]);
    expect(out.at(-1)).toEqual([MAX_QUOTED_LINES + 2, ['y', 'z']]);
  });

  it('reads a quote that closes inside text, after a line break, as a stray quote', () => {
    expect(split('a;"b\nc;"d";e\n')).toEqual([
      [1, STRAY_LINE],
      [2, ['c', 'd', 'e']],
    ]);
  });

  it('rejects the row up to the stray quote when an earlier cell of it spans lines', () => {
    expect(split('"x\ny";"z\nu;v\n')).toEqual([
      [
        1,
        'a quote opened on line 2 is not closed: the row is rejected, reading resumes at the next line (the row runs from line 1 to 2)',
      ],
      [3, ['u', 'v']],
    ]);
  });

  it('holds no more than the row limit of an open quote: past it the lines are read again', () => {
    const limits = { maxCellBytes: 8, maxRecordBytes: 32, maxCells: 10 };
    const lines = Array.from({ length: 20 }, (_, k) => `r${k};s`);
    const out = split(`a;"b\n${lines.join('\n')}\n`, [3], limits);
    expect(out).toEqual([[1, STRAY_LINE], ...lines.map((l, k) => [k + 2, l.split(';')])]);
  });

  it('still rejects one oversized quoted cell over a few lines as one row and resumes after it', () => {
    const limits = { maxCellBytes: 8, maxRecordBytes: 32, maxCells: 10 };
    const out = split('a;b\n"0123456789\n0123;"";\n0123";c\nd;e\n', [4], limits);
    expect(out).toEqual([
      [1, ['a', 'b']],
      [2, 'a cell is longer than the cell limit (8 bytes) (the row runs from line 2 to 4)'],
      [5, ['d', 'e']],
    ]);
  });
});
