// Decoded text -> records, chunk by chunk (RFC 4180, read leniently): any line break ends a
// record (CR, LF or CRLF, mixed as they come), a quoted cell may hold delimiters, quotes ("")
// and line breaks. Each cell and record is bounded while it is read: a cell over the limit is
// dropped as soon as it passes it, the rest of its record is skipped (still following its
// quotes), and the record comes out as an error with its first line, so the reader resumes at
// the next record and holds at most one cell limit of it.
//
// A stray quote (a quote opening a cell that is not closed properly) loses its own line only. A
// quoted cell that holds a line break is a real cell when its closing quote comes within
// MAX_QUOTED_LINES lines and is followed by the delimiter, a line break or the end of the text.
// Otherwise (still open after MAX_QUOTED_LINES lines or at the end of the text, closed by a quote
// followed by other text, or holding more than the row limit after its first line break) its
// opening quote is a stray: the record is rejected up to the line that quote opened on, and the
// text after that line is read again, as if the record had ended there. To read it again the
// splitter holds the raw text after the open cell's first line break: at most MAX_QUOTED_LINES
// lines and about the row limit.

export type SplitLimits = {
  /** UTF-8 bytes one cell may hold. */
  maxCellBytes: number;
  /** UTF-8 bytes one record may hold, all cells together. */
  maxRecordBytes: number;
  /** Cells one record may hold. */
  maxCells: number;
};

/** Lines a quoted cell may span: one still open after that many is read as a stray quote. */
export const MAX_QUOTED_LINES = 100;

export type SplitRecord = { line: number; cells: string[] } | { line: number; error: string };

/** Bytes in words: 1048576 -> "1 MiB". */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1 << 30],
    ['MiB', 1 << 20],
    ['KiB', 1 << 10],
  ] as const) {
    if (bytes >= size && bytes % (size / 1024) === 0) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  CellStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted cell: the end of the cell, or the first of "". */
  QuoteInQuoted,
}

export class RecordSplitter {
  private readonly delimiter: number;
  private state = State.CellStart;
  /** Line of the current position (1-based). */
  private currentLine = 1;
  private recordLine = 1;
  /** The last character read was a CR: an LF right after it belongs to the same line break. */
  private afterCR = false;
  private cells: string[] = [];
  private cell = '';
  private cellBytes = 0;
  private recordBytes = 0;
  /** Whether the record holds anything (a character, a delimiter, a quote): empty lines are skipped. */
  private touched = false;
  /** Why the current record is rejected; once set, nothing more of it is kept. */
  private failure: string | undefined;
  /** The line the open quoted cell opened on. */
  private quoteLine = 1;
  /**
   * The raw text after the open quoted cell's first line break, read again if its quote proves a
   * stray; undefined while no open cell holds a line break.
   */
  private held: string[] | undefined;
  private heldBytes = 0;
  /** The held text starts right after a CR: an LF first is the rest of that line break. */
  private heldAfterCR = false;
  private out: SplitRecord[] = [];

  constructor(
    delimiter: string,
    private readonly limits: SplitLimits,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The line being read: where the next character of text would be. */
  get line(): number {
    return this.currentLine;
  }

  /** Reads a chunk of text; returns the records it completed. */
  push(text: string): SplitRecord[] {
    let next: string | undefined = text;
    while (next !== undefined) next = this.scan(next);
    return this.take();
  }

  /** Splits a text; after a stray quote, returns the text to read again from the next line. */
  private scan(text: string): string | undefined {
    const d = this.delimiter;
    const n = text.length;
    /** Where the held text starts in this text (-1: nothing held). */
    let from = this.held === undefined ? -1 : 0;
    let i = 0;
    while (i < n) {
      if (this.state === State.Quoted) {
        const q = text.indexOf('"', i);
        const end = q === -1 ? n : q;
        const lineBreak = this.countLines(text, i, end);
        if (this.held === undefined && lineBreak !== -1) {
          this.held = [];
          this.heldBytes = 0;
          this.heldAfterCR = text.charCodeAt(lineBreak) === CR;
          from = lineBreak + 1;
        }
        this.append(text, i, end);
        if (this.held !== undefined && this.currentLine - this.quoteLine >= MAX_QUOTED_LINES)
          return this.stray(text, from);
        if (q === -1) break;
        this.afterCR = false; // a CR before the closing quote is content, not a CRLF's first half
        this.state = State.QuoteInQuoted;
        i = q + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        if (c === LF) {
          i++; // the LF of a CRLF whose CR ended the record
          continue;
        }
      }
      if (this.state === State.CellStart && c === QUOTE) {
        this.state = State.Quoted;
        this.quoteLine = this.currentLine;
        this.touched = true;
        i++;
        continue;
      }
      if (this.state === State.QuoteInQuoted && c === QUOTE) {
        this.append(text, i, i + 1); // "" is one quote
        this.state = State.Quoted;
        i++;
        continue;
      }
      if (this.state === State.QuoteInQuoted && this.held !== undefined) {
        // The quote closed a cell holding a line break: a real cell if the delimiter or a line
        // break follows, a stray quote otherwise.
        if (c !== d && c !== CR && c !== LF) return this.stray(text, from);
        this.held = undefined;
        from = -1;
      }
      // Unquoted text (a quote inside it is a character like any other), or text after the
      // closing quote of a cell, kept as it is.
      let j = i;
      while (j < n) {
        const k = text.charCodeAt(j);
        if (k === d || k === CR || k === LF) break;
        j++;
      }
      if (j > i) {
        this.append(text, i, j);
        this.state = State.Unquoted;
      }
      if (j === n) break;
      const k = text.charCodeAt(j);
      if (k === d) {
        this.touched = true;
        this.endCell();
        this.state = State.CellStart;
      } else {
        this.endRecord(this.currentLine);
        this.currentLine++;
        this.recordLine = this.currentLine;
        if (k === CR) this.afterCR = true;
      }
      i = j + 1;
    }
    if (this.held !== undefined) {
      const part = text.slice(from);
      this.held.push(part);
      this.heldBytes += Buffer.byteLength(part, 'utf8');
      if (this.heldBytes > this.limits.maxRecordBytes) return this.stray('', -1);
    }
    return undefined;
  }

  /**
   * The open quoted cell's quote is a stray: rejects the record up to the line it opened on and
   * returns the text after that line (held, then `text` from `from`) to read again.
   */
  private stray(text: string, from: number): string {
    const again = (this.held?.join('') ?? '') + (from === -1 ? '' : text.slice(from));
    const resume = this.held !== undefined;
    const error =
      this.quoteLine > this.recordLine
        ? `a quote opened on line ${this.quoteLine} is not closed: the row is rejected, reading resumes at the next line (the row runs from line ${this.recordLine} to ${this.quoteLine})`
        : 'a quote opened on this line is not closed: the line is rejected, reading resumes at the next line';
    this.out.push({ line: this.recordLine, error });
    this.resetRecord();
    if (resume) {
      this.currentLine = this.quoteLine + 1;
      this.recordLine = this.currentLine;
      this.afterCR = this.heldAfterCR;
    }
    return again;
  }

  /** The end of the text: the last record, if any. */
  end(): SplitRecord[] {
    while (this.state === State.Quoted) {
      let next: string | undefined = this.stray('', -1);
      while (next !== undefined) next = this.scan(next);
    }
    this.held = undefined; // a quote at the very end closes its cell
    if (this.touched || this.cells.length > 0 || this.cell !== '' || this.failure) {
      this.endRecord(this.currentLine);
    }
    return this.take();
  }

  private take(): SplitRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Counts the line breaks of text[from, to) in a quoted cell; returns the first's index or -1. */
  private countLines(text: string, from: number, to: number): number {
    let first = -1;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === CR) {
        this.currentLine++;
        this.afterCR = true;
        if (first === -1) first = i;
      } else {
        if (c === LF && !this.afterCR) {
          this.currentLine++;
          if (first === -1) first = i;
        }
        this.afterCR = false;
      }
    }
    return first;
  }

  private append(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.touched = true;
    if (this.failure) return;
    const part = text.slice(from, to);
    const bytes = Buffer.byteLength(part, 'utf8');
    this.cellBytes += bytes;
    this.recordBytes += bytes;
    if (this.cellBytes > this.limits.maxCellBytes) {
      this.fail(`a cell is longer than the cell limit (${formatBytes(this.limits.maxCellBytes)})`);
    } else if (this.recordBytes > this.limits.maxRecordBytes) {
      this.fail(
        `the row is longer than the row limit (${formatBytes(this.limits.maxRecordBytes)})`,
      );
    } else {
      this.cell += part;
    }
  }

  private fail(reason: string): void {
    this.failure = reason;
    this.cells = [];
    this.cell = '';
  }

  private endCell(): void {
    if (!this.failure) {
      this.cells.push(this.cell);
      if (this.cells.length > this.limits.maxCells)
        this.fail(`the row has more cells than the limit (${this.limits.maxCells})`);
    }
    this.cell = '';
    this.cellBytes = 0;
  }

  private endRecord(lastLine: number): void {
    this.endCell();
    if (this.failure) {
      const span =
        lastLine > this.recordLine
          ? ` (the row runs from line ${this.recordLine} to ${lastLine})`
          : '';
      this.out.push({ line: this.recordLine, error: `${this.failure}${span}` });
    } else if (this.touched) {
      this.out.push({ line: this.recordLine, cells: this.cells });
    }
    this.resetRecord();
  }

  private resetRecord(): void {
    this.cells = [];
    this.cell = '';
    this.cellBytes = 0;
    this.recordBytes = 0;
    this.touched = false;
    this.failure = undefined;
    this.held = undefined;
    this.state = State.CellStart;
  }
}
