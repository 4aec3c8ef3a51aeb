// Opens an uploaded file for reading, for the import and for the wizard's preview alike: what it
// is (XLSX, or CSV with its encoding and delimiter), its records one at a time, and its header.
import { DomainError } from '../../errors.ts';
import { readCsv, type ByteCounter, type RawRecord } from './read-csv.ts';
import { readXlsx } from './read-xlsx.ts';
import { sniffFile } from './sniff.ts';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './limits.ts';
import type { ImportSummary } from './summary.ts';

export type OpenedFile = {
  format: ImportSummary['format'];
  records: AsyncGenerator<RawRecord>;
  /** Bytes read so far and in all (for progress). */
  bytes: ByteCounter;
};

export async function openRecords(
  file: string,
  options: { encoding?: string; sheet?: string; limits?: ImportLimits },
): Promise<OpenedFile> {
  const limits = options.limits ?? DEFAULT_IMPORT_LIMITS;
  const sniffed = await sniffFile(file, { encoding: options.encoding });
  const bytes: ByteCounter = { read: 0, total: 0 };
  if (sniffed.kind === 'xlsx')
    return {
      format: { kind: 'xlsx', ...(options.sheet ? { sheet: options.sheet } : {}) },
      records: readXlsx(file, { sheet: options.sheet, bytes, limits }),
      bytes,
    };
  return {
    format: { kind: 'csv', encoding: sniffed.encoding, delimiter: sniffed.delimiter },
    records: readCsv(file, {
      encoding: sniffed.encoding,
      delimiter: sniffed.delimiter,
      bytes,
      limits,
      encodingGiven: sniffed.encodingGiven,
    }),
    bytes,
  };
}

/** The first record, which names the columns. */
export async function readHeader(records: AsyncGenerator<RawRecord>): Promise<string[]> {
  const header = await records.next();
  if (header.done)
    throw DomainError.keyed('invalid', 'import.no_header', 'the file has no header line');
  if ('error' in header.value)
    throw DomainError.keyed(
      'invalid',
      'import.header_unreadable',
      `the header line cannot be read: ${header.value.error}`,
    );
  return header.value.cells;
}
