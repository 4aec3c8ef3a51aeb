// Streams the rows of one worksheet part. Cells become strings: shared and inline strings (rich
// text joined, phonetic readings left out), numbers as written, date-styled numbers as
// YYYY-MM-DD, formulas as their cached result, booleans as true/false, errors as empty.
// Cells and rows without their optional `r` attribute follow the previous one (ECMA-376).
// A cell longer than the cell limit, or past the last column, rejects its own row only.
import { MAX_CELLS_PER_ROW, type RawRecord } from '../read-csv.ts';
import {
  cellTooLong,
  CELL_PAST_LAST_COLUMN,
  damaged,
  moreCellsThanColumns,
  textTooLarge,
  tooManyCells,
} from './refusals.ts';
import { TOO_LONG } from './shared-strings.ts';
import type { PartReader, Workbook } from './workbook.ts';
import { parseXml } from './xml.ts';

/** XFD: the last column of a sheet. */
const MAX_COLUMNS = 16_384;
const DAY_MS = 86_400_000;
/** What one cell slot of a row costs in memory (a pointer), counted with the text it holds. */
const SLOT_BYTES = 8;

/** "AB12" -> 27 (0-based column), or -1 past the last column, or null when it is no reference. */
export function columnOf(ref: string): number | null {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 0x61 || c > 0x7a) break;
    col = col * 26 + (c - 0x60);
    if (col > MAX_COLUMNS) return -1;
  }
  if (i === 0 || !/^\d*$/.test(ref.slice(i))) return null;
  return col - 1;
}

/** An Excel serial day number as YYYY-MM-DD (as exceljs did: 25569 is 1970-01-01). */
export function excelDate(serial: number, date1904: boolean): string {
  const ms = Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * DAY_MS);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(serial) : date.toISOString().slice(0, 10);
}

type Cell = { col: number; type: string; style: number; parts: string[]; bytes: number };

export async function* readSheet(
  reader: PartReader,
  workbook: Workbook,
  part: string,
): AsyncGenerator<RawRecord> {
  const { limits, budget } = reader;
  const ready: RawRecord[] = [];
  let readyBytes = 0;

  let inSheetData = false;
  let finished = false;
  let rowNumber = 0;
  /** The header's cell count (the first row handed on): a later cell past it rejects its row. */
  let width: number | undefined;
  let row: { cells: string[]; bytes: number; error?: string } | null = null;
  let lastCol = -1;
  let cell: Cell | null = null;
  let inValue = false;
  let inInline = false;
  let inInlineText = false;
  let phonetic = 0;

  const fail = (reason: string) => {
    if (row && row.error === undefined) row.error = reason;
  };

  const valueOf = (c: Cell): string | typeof TOO_LONG => {
    const text = c.parts.join('');
    switch (c.type) {
      case 's':
        return text === '' ? '' : (workbook.strings.get(Number(text)) ?? '');
      case 'str':
      case 'inlineStr':
        return text;
      case 'b':
        return text === '' ? '' : text === '1' || text === 'true' ? 'true' : 'false';
      case 'e':
        return '';
      case 'd':
        return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
      default: {
        if (text.trim() === '') return '';
        const n = Number(text);
        if (!Number.isFinite(n)) return text;
        return workbook.dateStyles[c.style] ? excelDate(n, workbook.date1904) : String(n);
      }
    }
  };

  const events = parseXml(
    part,
    reader.zip.read(part, { maxBytes: limits.maxZipEntryBytes, onRead: reader.onRead }),
    {
      open(name, a) {
        if (name === 'sheetData') {
          inSheetData = true;
          return;
        }
        if (!inSheetData) return;
        if (name === 'row') {
          const n = a.r === undefined ? rowNumber + 1 : Number(a.r);
          if (!Number.isSafeInteger(n) || n < 1) throw damaged('a row has an invalid number');
          rowNumber = n;
          row = { cells: [], bytes: 0 };
          lastCol = -1;
        } else if (name === 'c' && row) {
          const col = a.r === undefined ? lastCol + 1 : columnOf(a.r);
          if (col === null) throw damaged('a cell has an invalid reference');
          cell = {
            col: col < 0 || col >= MAX_COLUMNS ? -1 : col,
            type: a.t ?? 'n',
            style: a.s === undefined ? 0 : Number(a.s),
            parts: [],
            bytes: 0,
          };
          if (cell.col < 0) fail(CELL_PAST_LAST_COLUMN);
          lastCol = cell.col < 0 ? MAX_COLUMNS : cell.col;
        } else if (cell) {
          if (name === 'v') inValue = true;
          else if (name === 'is') inInline = true;
          else if (name === 't' && inInline) inInlineText = true;
          else if (name === 'rPh') phonetic++;
        }
      },
      close(name) {
        if (name === 'sheetData') {
          inSheetData = false;
          finished = true;
        } else if (name === 'v') inValue = false;
        else if (name === 'is') inInline = false;
        else if (name === 't') inInlineText = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'c' && cell && row) {
          const c = cell;
          cell = null;
          if (c.col < 0 || c.bytes > limits.maxCellBytes) return;
          const value = valueOf(c);
          if (value === TOO_LONG) return fail(cellTooLong(limits.maxCellBytes));
          if (value === '') return;
          // Only a value past the header's columns matters, and it rejects its row: the empty
          // cells before it are never made (a lone cell at XFD would cost 16,384 of them).
          if (width !== undefined && c.col >= width)
            return fail(moreCellsThanColumns(c.col + 1, width));
          if (c.col >= MAX_CELLS_PER_ROW) return fail(tooManyCells(MAX_CELLS_PER_ROW));
          const text = Buffer.byteLength(value);
          if (text > limits.maxCellBytes) return fail(cellTooLong(limits.maxCellBytes));
          if (row.error !== undefined) return;
          // The text and the slots (the empty cells padded before it) this row and the rows not
          // yet handed on hold, with the shared strings.
          const bytes = text + SLOT_BYTES * Math.max(1, c.col + 1 - row.cells.length);
          budget.check(readyBytes + row.bytes + bytes);
          row.bytes += bytes;
          while (row.cells.length < c.col) row.cells.push('');
          row.cells[c.col] = value;
        } else if (name === 'row' && row) {
          const done = row;
          row = null;
          if (done.error !== undefined) ready.push({ line: rowNumber, error: done.error });
          else {
            ready.push({ line: rowNumber, cells: done.cells });
            readyBytes += done.bytes;
            width ??= done.cells.length;
          }
        }
      },
      text(text) {
        if (!cell || (!inValue && !(inInlineText && phonetic === 0))) return;
        if (cell.bytes > limits.maxCellBytes) return;
        cell.bytes += Buffer.byteLength(text);
        if (cell.bytes > limits.maxCellBytes) {
          cell.parts = [];
          fail(cellTooLong(limits.maxCellBytes));
          return;
        }
        budget.check(readyBytes + (row?.bytes ?? 0) + cell.bytes);
        cell.parts.push(text);
      },
    },
    {
      maxPendingChars: limits.maxXlsxTextBytes,
      tooMuchText: () => textTooLarge(limits.maxXlsxTextBytes),
      done: () => finished,
    },
  );

  for await (const _ of events) {
    void _;
    const batch = ready.splice(0);
    readyBytes = 0;
    for (const record of batch) yield record;
  }
}
