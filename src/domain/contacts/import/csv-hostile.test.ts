// Hostile and careless CSV files through the whole import: every record read is accounted for
// once (read = imported + merged + rejected + suppressed), every rejected row is in the
// quarantine, and nothing of an oversized cell is stored anywhere.
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../../test/files.ts';
import { plainDump } from '../../../../test/plain-dump.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { DomainError } from '../../errors.ts';
import { countContacts, findContactIds, getContact } from '../contacts.ts';
import { importContacts, type ImportOptions } from './import-contacts.ts';
import { listRejections } from './import-records.ts';
import { chunkDecoder } from './decode-text.ts';
import { DEFAULT_IMPORT_LIMITS } from './limits.ts';
import { RecordSplitter } from './split-records.ts';
import type { ImportSummary } from './summary.ts';

let s: TestServices;
const files = tempDir();
// Opening a database on a loaded machine can take a while: a wider bound than the default.
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
}, 240_000);
afterAll(async () => {
  await s.dispose();
  files.remove();
});

async function memberSource() {
  const org = await makeOrg(s);
  const source = await makeSource(s, org.id);
  return { org, source };
}

const run = (sourceId: string, file: string, extra: Partial<ImportOptions> = {}) =>
  importContacts(s.db, { keys: s.keys, sourceId, file, actor: 'test', clock: s.clock, ...extra });

/** The summary balances, and its rejected count is the quarantine's. */
async function expectAccounted(summary: ImportSummary) {
  expect(summary.read).toBe(
    summary.imported + summary.merged + summary.rejected + summary.suppressed,
  );
  const rejections = await listRejections(s.db, { keys: s.keys, importId: summary.importId });
  expect(rejections).toHaveLength(summary.rejected);
  return rejections;
}

function rawFile(name: string, content: string | Buffer): string {
  const file = files.file(name);
  fs.writeFileSync(file, content);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const MARKER = 'ZQXJ'; // the oversized cell's content: found nowhere afterwards

describe('a cell over the cell limit', () => {
  it('rejects its own row only: the rows after it import, and the summary agrees with the quarantine', async () => {
    const { org, source } = await memberSource();
    const huge = MARKER.repeat(512 * 1024); // 2 MiB, over the 1 MiB default
    const file = rawFile(
      'huge-cell.csv',
      [
        'Nom;Prénom;Email',
        'Petit;Anne;anne.petit@exemple.fr',
        `Grand;${huge};grand@exemple.fr`,
        'Moreau;Luc;luc.moreau@exemple.fr',
        'Roux;Léa;lea.roux@exemple.fr',
        '',
      ].join('\n'),
    );
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ read: 4, imported: 3, rejected: 1 });
    const rejections = await expectAccounted(summary);
    expect(rejections).toMatchObject([
      { line: 3, reason: expect.stringMatching(/cell limit \(1 MiB\)/), cells: {} },
    ]);
    expect(rejections[0]!.cells).toEqual({});
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 3 });
    const dump = await plainDump(s.db, s.config.databaseUrl);
    expect(dump).not.toContain(MARKER.repeat(4));
  }, 180_000); // a plain dump of the database is slow on a loaded machine

  it('rejects a quoted oversized cell holding delimiters, quotes and line breaks as one row, and resumes after it', async () => {
    const { source } = await memberSource();
    // ~2.4 MB across 4 lines, closed: a real cell (a quote still open after MAX_QUOTED_LINES lines
    // is a stray, csv-stray-quote.test.ts).
    const huge = `${MARKER.repeat(150_000)};"";\r\n`.repeat(4);
    const file = rawFile(
      'huge-quoted.csv',
      [
        'Nom;Prénom;Email',
        'Petit;Anne;anne.petit@exemple.fr',
        `Grand;"${huge}";grand@exemple.fr`,
        'Moreau;Luc;luc.moreau@exemple.fr',
        '',
      ].join('\n'),
    );
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ read: 3, imported: 2, rejected: 1 });
    const [rejection] = await expectAccounted(summary);
    expect(rejection).toMatchObject({ line: 3 });
    expect(rejection!.cells).toEqual({});
    expect(rejection!.reason).toMatch(/cell limit.*from line 3 to 7/);
    expect(await countContacts(s.db, { orgId: source.orgId })).toEqual({ total: 2 });
  });

  it('follows the limit set for the installation (limits.maxCellBytes), cells at the limit pass', async () => {
    const { source } = await memberSource();
    const limits = { ...DEFAULT_IMPORT_LIMITS, maxCellBytes: 64 };
    const atLimit = `${'a'.repeat(50)}@exemple.fr`.padEnd(64, 'x').slice(0, 64);
    const file = writeCsv(files.file('small-limit.csv'), [
      ['Nom', 'Prénom', 'Remarque'],
      ['Petit', 'Anne', 'é'.repeat(32)], // 64 bytes in UTF-8: at the limit
      ['Grand', 'Paul', 'é'.repeat(33)], // 66 bytes
      ['Moreau', 'Luc', atLimit],
    ]);
    const summary = await run(source.id, file, { limits });
    expect(summary).toMatchObject({ read: 3, imported: 2, rejected: 1 });
    const rejections = await expectAccounted(summary);
    expect(rejections).toMatchObject([
      { line: 3, reason: expect.stringMatching(/cell limit \(64 bytes\)/) },
    ]);
    expect(rejections[0]!.cells).toEqual({});
  });

  it('rejects a row of a million delimiters alone, and an unclosed quote at the end of the file on its line only', async () => {
    const { source } = await memberSource();
    const file = rawFile(
      'many-cells.csv',
      [
        'Nom;Prénom;Email',
        ';'.repeat(1_000_000),
        'Petit;Anne;anne.petit@exemple.fr',
        'Grand;"Paul;grand@exemple.fr',
        'Moreau;Luc;luc.moreau@exemple.fr',
      ].join('\r\n'),
    );
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ read: 4, imported: 2, rejected: 2 });
    const rejections = await expectAccounted(summary);
    expect(rejections.map((r) => [r.line, r.reason])).toEqual([
      [2, expect.stringMatching(/more cells than the limit/)],
      [4, expect.stringMatching(/quote opened on this line is not closed/)],
    ]);
  });
});

describe('line endings', () => {
  const rows = [
    'Petit;Anne;anne.petit@exemple.fr',
    'Grand;Paul;paul.grand@exemple.fr',
    'Moreau;Luc;luc.moreau@exemple.fr',
    'Roux;Léa;lea.roux@exemple.fr',
  ];
  for (const [name, text] of [
    ['a CRLF header with LF rows', `Nom;Prénom;Email\r\n${rows.join('\n')}\n`],
    ['CR only', `Nom;Prénom;Email\r${rows.join('\r')}\r`],
    [
      'CR, LF and CRLF mixed',
      `Nom;Prénom;Email\n${rows[0]}\r${rows[1]}\r\n${rows[2]}\n${rows[3]}\r\n`,
    ],
    ['an LF header with CRLF rows', `Nom;Prénom;Email\n${rows.join('\r\n')}`],
  ] as const) {
    it(`reads one row per line with ${name}`, async () => {
      const { source } = await memberSource();
      const summary = await run(source.id, rawFile(`eol-${name}.csv`, text));
      expect(summary).toMatchObject({ read: 4, imported: 4, rejected: 0 });
      await expectAccounted(summary);
    });
  }

  it('keeps a line break inside a quoted cell, and counts lines across it', async () => {
    const { source } = await memberSource();
    const file = rawFile(
      'eol-quoted.csv',
      `Nom;Adresse;Email\r\nPetit;"1 rue Basse\nBâtiment B";anne.petit@exemple.fr\rGrand;"2 rue Haute\r\nEscalier C";${'x'.repeat(80)}\nRoux;;lea.roux@exemple.fr\n`,
    );
    const summary = await run(source.id, file, {
      limits: { ...DEFAULT_IMPORT_LIMITS, maxCellBytes: 64 },
    });
    expect(summary).toMatchObject({ read: 3, imported: 2, rejected: 1 });
    const [rejection] = await expectAccounted(summary);
    // Header 1, Petit 2-3, Grand 4-5 (its quoted CRLF is one line break), Roux 6.
    expect(rejection).toMatchObject({ line: 4, reason: expect.stringMatching(/lines? 4 to 5/) });
    const [id] = await findContactIds(s.db, {
      keys: s.keys,
      orgId: source.orgId,
      email: 'anne.petit@exemple.fr',
    });
    const contact = await getContact(s.db, { keys: s.keys, orgId: source.orgId, contactId: id! });
    // One cell across the line break (the address is stored on one line).
    expect(contact.identity.streetAddress).toMatch(/^1 rue Basse\s+Bâtiment B$/);
  });
});

describe('encodings', () => {
  it('imports a valid UTF-8 file holding U+FFFD, the character kept', async () => {
    const { source } = await memberSource();
    const file = rawFile(
      'fffd.csv',
      Buffer.from(
        'Nom;Prénom;Email\nPetit;An\uFFFDne;anne.petit@exemple.fr\nGrand;Paul;p@exemple.fr\n',
      ),
    );
    for (const encoding of [undefined, 'utf-8']) {
      const summary = await run(source.id, file, encoding ? { encoding } : {});
      expect(summary).toMatchObject({ read: 2, rejected: 0 });
      expect(summary.format.encoding).toBe('utf-8');
    }
    const [id] = await findContactIds(s.db, {
      keys: s.keys,
      orgId: source.orgId,
      email: 'anne.petit@exemple.fr',
    });
    const contact = await getContact(s.db, { keys: s.keys, orgId: source.orgId, contactId: id! });
    expect(contact.identity.firstNames).toBe('An\uFFFDne');
  });

  it('honours --encoding utf-8: a Windows-1252 file is refused naming the line, not read as Windows-1252', async () => {
    const { org, source } = await memberSource();
    const file = rawFile(
      'given-utf8.csv',
      Buffer.concat([
        Buffer.from('Nom;Prénom;Email\nPetit;Anne;anne.petit@exemple.fr\n'),
        Buffer.from([0x47, 0x72, 0xe9, 0x67, 0x6f, 0x69, 0x72, 0x65]), // Grégoire in Windows-1252
        Buffer.from(';Paul;p@exemple.fr\n'),
      ]),
    );
    const error = await failure(run(source.id, file, { encoding: 'utf-8' }));
    expect(error.key).toBe('import.undecodable');
    expect(error.params).toMatchObject({ line: 3, encoding: 'utf-8' });
    expect(error.message).toMatch(/line 3 cannot be read as utf-8, the encoding given/);
    expect(error.message).not.toMatch(/Gr/);
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });

  it('names the line of bytes that are not UTF-8 past the sniffed sample', async () => {
    const { source } = await memberSource();
    const filler = Array.from({ length: 3000 }, (_, i) => `Dupuis;Jean;j${i}@exemple.fr`).join(
      '\r\n',
    );
    const file = rawFile(
      'late-1252.csv',
      Buffer.concat([
        Buffer.from(`Nom;Prénom;Email\r\n${filler}\r\n`),
        Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]), // Müller in Windows-1252
        Buffer.from(';Jürgen;m@exemple.fr\r\n'),
      ]),
    );
    const error = await failure(run(source.id, file));
    expect(error.key).toBe('import.not_utf8');
    expect(error.params).toEqual({ line: 3002 });
  });
});

describe('duplicated headers', () => {
  it('refuses two columns that both feed the email, naming the header', async () => {
    const { org, source } = await memberSource();
    for (const headers of [
      ['Nom', 'Email', 'Email'],
      ['Nom', 'E-mail', 'email'],
      ['Nom', 'Courriel', 'COURRIEL '],
    ]) {
      const file = writeCsv(files.file('dup-email.csv'), [
        headers,
        ['Petit', 'anne.petit@exemple.fr', 'autre@exemple.fr'],
      ]);
      const error = await failure(run(source.id, file));
      expect(error.key).toBe('import.duplicate_header');
      expect(error.params).toEqual({ header: headers[1], columns: '2, 3' });
      expect(error.message).not.toContain('exemple.fr');
    }
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });

  it('refuses a --map naming a duplicated header, and leaves both out with =ignore', async () => {
    const { source } = await memberSource();
    const file = writeCsv(files.file('dup-map.csv'), [
      ['Nom', 'Notes', 'Notes', 'Email'],
      ['Petit', '0612345678', 'VIP', 'anne.petit@exemple.fr'],
    ]);
    const error = await failure(run(source.id, file, { mapping: ['Notes=phone'] }));
    expect(error.key).toBe('import.map_ambiguous');
    const summary = await run(source.id, file, { mapping: ['Notes=ignore'] });
    expect(summary).toMatchObject({ read: 1, imported: 1 });
  });

  it('drops duplicated columns that map to nothing, counting them', async () => {
    const { source } = await memberSource();
    const file = writeCsv(files.file('dup-unmapped.csv'), [
      ['Nom', 'Remarque', 'Email', 'remarque'],
      ['Petit', 'xyz', 'anne.petit@exemple.fr', 'abc'],
    ]);
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({
      read: 1,
      imported: 1,
      unmappedColumns: ['Remarque', 'remarque'],
    });
    expect(summary.dropped).toMatchObject({ Remarque: 1, remarque: 1 });
  });

  it('SEG-2: a duplicated forbidden column is dropped in both places, never stored, and cannot be mapped', async () => {
    const { source } = await memberSource();
    const file = writeCsv(files.file('dup-seg2.csv'), [
      ['Nom', 'Nationalité', 'Email', 'nationalite'],
      ['Petit', 'Bhoutanaise', 'anne.petit@exemple.fr', 'Papouane'],
    ]);
    const summary = await run(source.id, file);
    expect(summary).toMatchObject({ read: 1, imported: 1 });
    expect(Object.values(summary.droppedRules)).toEqual(['SEG-2', 'SEG-2']);
    const dump = await plainDump(s.db, s.config.databaseUrl);
    expect(dump).not.toContain('Bhoutanaise');
    expect(dump).not.toContain('Papouane');
    await expect(run(source.id, file, { mapping: ['nationalite=csp'] })).rejects.toThrow();
  }, 180_000); // a plain dump of the database is slow on a loaded machine
});

describe('implausible text', () => {
  it('refuses a Shift-JIS file instead of storing it garbled as Windows-1252, also with --encoding windows-1252', async () => {
    const { org, source } = await memberSource();
    const iconv = (await import('iconv-lite')).default;
    const text = [
      '氏名;ふりがな;メール',
      '山田太郎;やまだ たろう;taro@exemple.jp',
      '田中花子;たなか はなこ;hanako@exemple.jp',
      '佐藤健;さとう けん;ken@exemple.jp',
      '',
    ].join('\r\n');
    const file = rawFile('sjis.csv', iconv.encode(text, 'shift_jis'));
    for (const extra of [{}, { encoding: 'windows-1252' }]) {
      const error = await failure(run(source.id, file, extra));
      expect(error.key).toBe('import.looks_like_shift_jis');
      expect(error.message).toMatch(/--encoding shift_jis/);
    }
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });
});

describe('the reader, whatever the chunk boundaries', () => {
  it('reads back every row written, with quotes, delimiters, line breaks and multi-byte characters cut anywhere (fixed seed)', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'é', '€', '😀', '"', ';', '\r', '\n', ' ', 'Z', '\uFFFD'),
      maxLength: 8,
    });
    const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        rows,
        fc.array(fc.constantFrom('\r\n', '\n', '\r'), { minLength: 30, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        (table, eols, cuts) => {
          // A row of one empty cell is an empty line, which is skipped: quote it.
          const written = table.map(
            (r, i) =>
              r
                .map((c) => (c === '' || /["\r\n;]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
                .join(';') + eols[i]!,
          );
          const text = written.join('');
          const bytes = Buffer.from(text, 'utf8');
          const decoder = chunkDecoder('utf-8');
          const splitter = new RecordSplitter(';', {
            maxCellBytes: 1 << 20,
            maxRecordBytes: 1 << 22,
            maxCells: 100,
          });
          const out = [];
          let at = 0;
          for (let k = 0; at < bytes.length; k++) {
            const size = cuts[k % cuts.length]!;
            out.push(...splitter.push(decoder.write(bytes.subarray(at, at + size))));
            at += size;
          }
          out.push(...splitter.push(decoder.end()), ...splitter.end());
          expect(out.map((r) => ('cells' in r ? r.cells : r))).toEqual(table);
          // Each record's line is where it starts: the line breaks before it, plus one.
          let line = 1;
          out.forEach((r, i) => {
            expect(r.line).toBe(line);
            line += (written[i]!.match(/\r\n|\r|\n/g) ?? []).length;
          });
        },
      ),
      { seed: 2613, numRuns: 300 },
    );
  });
});
