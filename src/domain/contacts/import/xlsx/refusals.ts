// The refusals of the XLSX reader, each with its stable key (web translations) and, for a limit,
// the limit and the setting that raises it. Nothing from the file's cells is ever quoted.
import { DomainError } from '../../../errors.ts';
import { printable } from '../../../validation.ts';

/** 1048576 -> "1 MiB", 1536 -> "1.5 KiB", 1000 -> "1000 bytes". */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (n >= size) {
      const value = n / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${n} bytes`;
}

/** Text taken from the file (a part or sheet name): no control characters, bounded. */
export function quoted(text: string, max = 80): string {
  const clean = printable(text);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** One part of the archive inflates past ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES (declared or actual). */
export function entryTooLarge(part: string, limit: number): DomainError {
  const params = { part: quoted(part), limit: formatBytes(limit) };
  const text = (what: string) =>
    `the XLSX file's ${what} inflates past ${params.limit} (ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES): the file is refused as a zip bomb; if it is genuine, raise the setting or save it as CSV`;
  // A part's name is the file author's choice: the stored message does not quote it.
  return new DomainError('invalid', text(`part ${params.part}`), undefined, [], {
    key: 'import.xlsx_entry_too_large',
    params,
    stored: text('part'),
  });
}

/**
 * A part other than the worksheet and the shared strings (the workbook, its relationships, the
 * styles) inflates past what any workbook's needs: the file is refused, whatever the settings.
 */
export function partTooLarge(part: string, limit: number): DomainError {
  const params = { part: quoted(part), limit: formatBytes(limit) };
  const text = (what: string) =>
    `the XLSX file's ${what} inflates past ${params.limit}, far more than any workbook needs: the file is refused as a zip bomb; save it as CSV`;
  return new DomainError('invalid', text(`part ${params.part}`), undefined, [], {
    key: 'import.xlsx_part_too_large',
    params,
    stored: text('workbook, styles or relationships part'),
  });
}

/** The styles list more cell formats (or number formats) than Excel allows. */
export function tooManyStyles(what: 'cell formats' | 'number formats', limit: number): DomainError {
  const params = { limit };
  const text = `the XLSX file's styles list more than ${limit} ${what}, more than Excel allows: the file is refused as damaged or hostile; save it as CSV`;
  return what === 'cell formats'
    ? DomainError.keyed('invalid', 'import.xlsx_too_many_cell_formats', text, params)
    : DomainError.keyed('invalid', 'import.xlsx_too_many_number_formats', text, params);
}

/** Shared strings and cell text held at once pass ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES. */
export function textTooLarge(limit: number): DomainError {
  const params = { limit: formatBytes(limit) };
  return DomainError.keyed(
    'invalid',
    'import.xlsx_text_too_large',
    `the XLSX file's shared strings and cell text take more than ${params.limit} (ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES): the file is refused; if it is genuine, raise the setting or save it as CSV`,
    params,
  );
}

/** The archive or one of its XML parts cannot be read. */
export function damaged(reason: string): DomainError {
  const params = { reason: quoted(reason, 200) };
  // The reason may quote a part's name (the file author's choice): it is not stored.
  return new DomainError(
    'invalid',
    `the XLSX file cannot be read (damaged or truncated?): ${params.reason}`,
    undefined,
    [],
    {
      key: 'import.xlsx_damaged',
      params,
      stored: 'the XLSX file cannot be read (damaged or truncated?)',
    },
  );
}

/** What a zip archive that is not a workbook looks like, for the refusal. */
export type OtherArchive = 'docx' | 'pptx' | 'xlsb' | 'opendocument' | 'zip';

const OTHER: Record<OtherArchive, { key: string; text: string }> = {
  docx: {
    key: 'import.zip_is_word_document',
    text: 'the file is not an XLSX workbook: it looks like a Word document (.docx)',
  },
  pptx: {
    key: 'import.zip_is_presentation',
    text: 'the file is not an XLSX workbook: it looks like a PowerPoint presentation (.pptx)',
  },
  xlsb: {
    key: 'import.zip_is_xlsb',
    text: 'the file is an Excel binary workbook (.xlsb), which cannot be read: save it as .xlsx or .csv',
  },
  opendocument: {
    key: 'import.zip_is_opendocument',
    text: 'the file is not an XLSX workbook: it looks like an OpenDocument file (.ods, .odt): save it as .xlsx or .csv',
  },
  zip: {
    key: 'import.zip_not_workbook',
    text: 'the file is a zip archive but not an XLSX workbook (it has no xl/workbook.xml)',
  },
};

export function notWorkbook(what: OtherArchive): DomainError {
  return DomainError.keyed('invalid', OTHER[what].key, OTHER[what].text);
}

export function noWorksheet(): DomainError {
  return DomainError.keyed('invalid', 'import.xlsx_no_worksheet', 'the XLSX file has no worksheet');
}

export function noSuchSheet(sheet: string, sheets: string[]): DomainError {
  const shown = sheets.slice(0, 50).map((s) => quoted(s));
  if (sheets.length > shown.length) shown.push('…');
  const params = { sheet: quoted(sheet), sheets: shown.join(', ') };
  // Sheet names often name people: the caller sees them, the stored message does not.
  return new DomainError(
    'invalid',
    `the XLSX file has no sheet named "${params.sheet}"; its sheets: ${params.sheets}`,
    undefined,
    [],
    {
      key: 'import.xlsx_no_such_sheet',
      params,
      stored: 'the XLSX file has no sheet of the name asked for (--sheet)',
    },
  );
}

/** The reason a row is rejected when one of its cells is longer than the cell limit. */
export function cellTooLong(limit: number): string {
  return `a cell is longer than ${formatBytes(limit)} (ISOLOIR_IMPORT_MAX_CELL_BYTES)`;
}

/** The reason a row is rejected when a cell lies past the last column a row may fill. */
export function tooManyCells(limit: number): string {
  return `the row has more cells than the limit (${limit})`;
}

/** The reason a row is rejected when it has a cell past the header's columns. */
export function moreCellsThanColumns(cells: number, columns: number): string {
  return `more cells (${cells}) than columns (${columns})`;
}

/** The reason a row is rejected when a cell lies past the last column a sheet may have. */
export const CELL_PAST_LAST_COLUMN = 'a cell lies past column XFD, the last one a sheet may have';
