// Streams the rows of one worksheet of an XLSX workbook, reading it as the zip archive of XML
// parts it is (yauzl for random access, saxes for the XML), so that hostile files are refused
// early and cheaply, with the limit named (ImportLimits, ISOLOIR_IMPORT_MAX_*):
// - every part is inflated as a stream, counted as it inflates; past maxZipEntryBytes (or past
//   the size its zip header declares, or when that declared size is already over) it stops at
//   once;
// - the shared strings, styles and the rows not yet handed on count against maxXlsxTextBytes;
// - a cell longer than maxCellBytes rejects its own row ({ line, error }), not the file.
// The shared strings are read first whatever the order of the parts in the archive.
// Cells become strings: dates as YYYY-MM-DD, numbers as written, formulas as their result.
import fs from 'node:fs';
import { DomainError } from '../../errors.ts';
import type { ByteCounter, RawRecord } from './read-csv.ts';
import type { ImportLimits } from './limits.ts';
import { damaged, noSuchSheet, noWorksheet } from './xlsx/refusals.ts';
import { readSheet } from './xlsx/sheet.ts';
import { readWorkbook, TextBudget, type PartReader } from './xlsx/workbook.ts';
import { ZipArchive } from './xlsx/zip.ts';

export async function* readXlsx(
  path: string,
  options: { sheet?: string; bytes: ByteCounter; limits: ImportLimits },
): AsyncGenerator<RawRecord> {
  options.bytes.total = (await fs.promises.stat(path)).size;
  const zip = await ZipArchive.open(path);
  try {
    const reader: PartReader = {
      zip,
      limits: options.limits,
      budget: new TextBudget(options.limits.maxXlsxTextBytes),
      onRead: (n) => (options.bytes.read += n),
    };
    const workbook = await readWorkbook(reader);
    if (workbook.sheets.length === 0) throw noWorksheet();
    const sheet =
      options.sheet === undefined
        ? (workbook.sheets.find((s) => !s.hidden) ?? workbook.sheets[0]!)
        : workbook.sheets.find((s) => s.name === options.sheet);
    if (!sheet)
      throw noSuchSheet(
        options.sheet!,
        workbook.sheets.map((s) => s.name),
      );
    yield* readSheet(reader, workbook, sheet.part);
    options.bytes.read = options.bytes.total;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw damaged((error as Error).message);
  } finally {
    zip.close();
  }
}
