// Streams the rows of one worksheet of an XLSX workbook with exceljs's streaming reader.
// Cells become strings: dates as YYYY-MM-DD, numbers as written, formulas as their result.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { DomainError } from '../../errors.ts';
import type { ByteCounter, RawRecord } from './read-csv.ts';
import type { ImportLimits } from './limits.ts';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

export async function* readXlsx(
  path: string,
  options: { sheet?: string; bytes: ByteCounter; limits: ImportLimits },
): AsyncGenerator<RawRecord> {
  options.bytes.total = (await fs.promises.stat(path)).size;
  const stream = fs.createReadStream(path);
  stream.on('data', (chunk) => (options.bytes.read += chunk.length));
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const seen: string[] = [];
  let found = false;
  try {
    for await (const worksheet of workbook) {
      const name = (worksheet as unknown as { name?: string }).name ?? `sheet ${seen.length + 1}`;
      seen.push(name);
      if (found || (options.sheet !== undefined && name !== options.sheet)) {
        // Skip the other sheets without reading their rows into memory.
        for await (const _row of worksheet) void _row;
        continue;
      }
      found = true;
      for await (const row of worksheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1);
        yield { line: row.number, cells: Array.from(values, (v) => cellText(v)) };
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      'invalid',
      `the XLSX file cannot be read (damaged or truncated?): ${(error as Error).message}`,
    );
  }
  if (!found) {
    throw new DomainError(
      'invalid',
      options.sheet === undefined
        ? 'the XLSX file has no worksheet'
        : `the XLSX file has no sheet named "${options.sheet}"; its sheets: ${seen.join(', ')}`,
    );
  }
}
