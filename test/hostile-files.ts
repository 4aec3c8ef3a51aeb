// Generators of hostile CSV and XLSX files for the fuzz suite (hostile-files-fuzz.test.ts), and
// the inspections that prove each generated file really is what its case says (mixed line
// endings, a huge cell, a zip entry inflating past a limit...), so that no case passes vacuously.
// Everything is deterministic: one seed and a case's name give the same bytes every time.
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import type { ImportLimits } from '../src/domain/contacts/import/limits.ts';

/** The fuzz suite's seed: fixed, so that CI runs the same files every time; set it to replay. */
export const FUZZ_SEED = Number(process.env.ISOLOIR_FUZZ_SEED ?? 20261201);
/** One case to replay alone (its name, as the failing test names it). */
export const FUZZ_CASE = process.env.ISOLOIR_FUZZ_CASE;

// ---------------------------------------------------------------------------------------------
// A seeded PRNG (mulberry32), one stream per case: a case replays alone from the seed and its name.

export type Rng = {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
};

export function rng(seed: number, stream = ''): Rng {
  // FNV-1a of the stream name, mixed into the seed.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------------
// What a case expects, and what it claims about its own bytes (checked by `inspect*` below).

export type Expectation =
  /** Must import: `rows` read (blank rows aside), exactly `rejected` of them rejected. */
  | { outcome: 'imported'; rows: number; rejected: number }
  /** Must be refused with a DomainError whose message matches. */
  | { outcome: 'refused'; message: RegExp }
  /**
   * Either imports with the accounting balanced (and `rows` read, when given), or is refused
   * with a DomainError (whose message matches, when given).
   */
  | { outcome: 'either'; rows?: number; message?: RegExp };

export type Claims = {
  /** CSV line endings outside quoted cells, at least this many of each. */
  endings?: { crlf: number; lf: number; cr: number };
  /** A CSV or XLSX cell at least this long (bytes of its text). */
  hugeCell?: number;
  /** Zip parts that inflate past this many bytes. */
  inflatesPast?: { part: string; bytes: number; declaredBytes?: 'smaller' };
  /** XLSX shared strings whose text adds up past this many bytes. */
  sharedTextPast?: number;
  /** The bytes are not valid UTF-8 (a legacy encoding). */
  notUtf8?: boolean;
  /** The bytes are valid UTF-8 and hold U+FFFD. */
  utf8WithReplacement?: boolean;
  /** The file starts with this byte-order mark (hex). */
  bom?: string;
  /** At least this many control characters (C0 but tab/LF/CR, DEL, C1, bidi controls). */
  controls?: number;
  /** The header line holds this header twice (compared trimmed, case-insensitive). */
  duplicateHeader?: string;
  /** The zip has no xl/workbook.xml. */
  noWorkbook?: boolean;
  /** The sheet holds this many `<c>` cells without an `r` attribute. */
  cellsWithoutR?: number;
  /** The zip lists one part name twice. */
  duplicatePart?: boolean;
  /** An XML part declares entities (billion laughs). */
  entityDeclarations?: boolean;
};

export type HostileFile = {
  bytes: Buffer;
  extension: 'csv' | 'xlsx';
  /** The delimiter of a CSV (for the inspections). */
  delimiter?: string;
  expect: Expectation;
  claims: Claims;
};

export type HostileCase = {
  /** family#n: replays with the same seed. */
  name: string;
  family: string;
  /** Limits for this case (small ones keep bombs fast); the defaults otherwise. */
  limits?: ImportLimits;
  /** An explicit --encoding. */
  encoding?: string;
  /** Default limits and a real-size bomb: the case the RSS bound is about. */
  heavy?: boolean;
  build(r: Rng): Promise<HostileFile>;
};

/** Small limits, so that bombs and huge cells stay fast; the defaults are tried by heavy cases. */
export const SMALL_LIMITS: ImportLimits = {
  maxCellBytes: 4 * 1024,
  maxZipEntryBytes: 1024 * 1024,
  maxXlsxTextBytes: 256 * 1024,
};

// ---------------------------------------------------------------------------------------------
// Member rows that import cleanly: unique per case, so a row never merges with another case's.

const SURNAMES = ['Martin', 'Bernard', 'Lefèvre', 'Nguyen', 'Ben Saïd', "N'Diaye", 'Élie', 'Çelik'];
const FIRST = ['Zoé', 'Hélène', 'Inès', 'Loïc', 'François', 'Maëlle', 'Noël', 'Anaïs'];
export const MEMBER_HEADERS = ['Nom', 'Prénom', 'Email', 'Code postal', 'Commentaire'];

function letters(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** `count` valid member rows; `tag` keeps them apart from every other case's. */
export function memberRows(r: Rng, count: number, tag: string): string[][] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${tag}${letters(i)}`;
    return [
      `${r.pick(SURNAMES)}-${id}`,
      r.pick(FIRST),
      `${id}.${i}@exemple.fr`,
      r.pick(['69003', '13001', '97200', '75011', '20000']),
      r.pick(['', 'adhérent', 'bénévole', 'à rappeler']),
    ];
  });
}

/** A tag unique to a case (letters only: names stay plausible). */
export function caseTag(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  return `x${letters(h)}`;
}

// ---------------------------------------------------------------------------------------------
// CSV

export type CsvOptions = {
  delimiter?: string;
  /** The line ending after each record (the last one too); a function picks one per record. */
  eol?: string | ((i: number) => string);
  /** Whether to end the file with a line ending. */
  finalEol?: boolean;
  encoding?: string;
  bom?: boolean;
  /** Quote every cell, not only those that need it. */
  quoteAll?: boolean;
};

export function csvText(rows: string[][], options: CsvOptions = {}): string {
  const d = options.delimiter ?? ';';
  const quote = (cell: string) =>
    options.quoteAll || /["\r\n]/.test(cell) || cell.includes(d)
      ? `"${cell.replace(/"/g, '""')}"`
      : cell;
  const eol = (i: number) =>
    typeof options.eol === 'function' ? options.eol(i) : (options.eol ?? '\r\n');
  let text = '';
  rows.forEach((row, i) => {
    text += row.map(quote).join(d);
    if (i < rows.length - 1 || options.finalEol !== false) text += eol(i);
  });
  return text;
}

export function csvBytes(rows: string[][], options: CsvOptions = {}): Buffer {
  return iconv.encode(csvText(rows, options), options.encoding ?? 'utf-8', {
    addBOM: options.bom ?? false,
  });
}

// ---------------------------------------------------------------------------------------------
// ZIP, written by hand: every field can lie (declared sizes), parts can be pre-deflated streams
// of a gigabyte that take two megabytes, and a name can appear twice.

export type ZipPart = {
  name: string;
  /** The part's bytes, deflated (method 8) or stored (method 0) here. */
  data?: Buffer;
  /** Or an already deflated stream with its true size and CRC. */
  deflated?: { bytes: Buffer; size: number; crc: number };
  method?: 0 | 8;
  /** The uncompressed size the headers declare, when it should lie. */
  declaredSize?: number;
};

export function zipBytes(parts: ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const method = part.deflated ? 8 : (part.method ?? 8);
    const data = part.deflated
      ? part.deflated.bytes
      : method === 8
        ? zlib.deflateRawSync(part.data ?? Buffer.alloc(0))
        : (part.data ?? Buffer.alloc(0));
    const size = part.deflated ? part.deflated.size : (part.data?.length ?? 0);
    const crc = part.deflated ? part.deflated.crc : zlib.crc32(part.data ?? Buffer.alloc(0));
    const declared = part.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(0, 12);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(declared, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    chunks.push(local, name, data);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}

// crc32_combine of zlib (GF(2) matrices): the CRC of A+B from those of A and B and B's length,
// so that a gigabyte's CRC costs milliseconds rather than a pass over the gigabyte.
function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= matrix[i]!;
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]!);
}

export function crc32Combine(crc1: number, crc2: number, length2: number): number {
  if (length2 <= 0) return crc1;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320; // the CRC-32 polynomial
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four
  let crc = crc1 >>> 0;
  let length = length2;
  do {
    gf2Square(even, odd);
    if (length & 1) crc = gf2Times(even, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
    gf2Square(odd, even);
    if (length & 1) crc = gf2Times(odd, crc);
    length = Math.floor(length / 2);
  } while (length !== 0);
  return (crc ^ crc2) >>> 0;
}

/**
 * A deflate stream of `head`, then `unit` repeated until about `bytes`, then `tail`, built from
 * independently flushed segments: a gigabyte costs a few milliseconds and two megabytes.
 */
export function deflatedRepeat(
  head: string,
  unit: string,
  bytes: number,
  tail: string,
): { bytes: Buffer; size: number; crc: number } {
  const flush = { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH };
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(tail, 'utf8');
  const unitBytes = Buffer.from(unit, 'utf8');
  // A chunk of whole units, about 1 MiB, so that repeating it repeats the units exactly.
  const chunk = Buffer.concat(
    Array.from({ length: Math.max(1, Math.floor((1 << 20) / unitBytes.length)) }, () => unitBytes),
  );
  const count = Math.max(
    1,
    Math.ceil((bytes - headBytes.length - tailBytes.length) / chunk.length),
  );
  const segment = zlib.deflateRawSync(chunk, flush);
  const chunkCrc = zlib.crc32(chunk);
  let crc = zlib.crc32(headBytes);
  for (let i = 0; i < count; i++) crc = crc32Combine(crc, chunkCrc, chunk.length);
  crc = zlib.crc32(tailBytes, crc);
  return {
    bytes: Buffer.concat([
      zlib.deflateRawSync(headBytes, flush),
      ...Array.from({ length: count }, () => segment),
      zlib.deflateRawSync(tailBytes), // the final block
    ]),
    size: headBytes.length + count * chunk.length + tailBytes.length,
    crc: crc >>> 0,
  };
}

// ---------------------------------------------------------------------------------------------
// XLSX

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export type SheetOptions = {
  /** Whether a cell carries its `r` attribute (row index, column index). */
  withR?: (row: number, col: number) => boolean;
  /** Cells as inline strings rather than shared strings. */
  inline?: boolean;
};

/** The sheet XML and the shared strings it uses. */
export function sheetXml(
  rows: string[][],
  options: SheetOptions = {},
): { sheet: string; strings: string[] } {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const body = rows
    .map((row, ri) => {
      const cells = row
        .map((value, ci) => {
          if (value === '') return '';
          const r = options.withR?.(ri, ci) === false ? '' : ` r="${colName(ci)}${ri + 1}"`;
          if (options.inline) return `<c${r} t="inlineStr"><is><t>${escapeXml(value)}</t></is></c>`;
          let at = index.get(value);
          if (at === undefined) {
            at = strings.push(value) - 1;
            index.set(value, at);
          }
          return `<c${r} t="s"><v>${at}</v></c>`;
        })
        .join('');
      return `<row r="${ri + 1}">${cells}</row>`;
    })
    .join('');
  return {
    sheet: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS}"><sheetData>${body}</sheetData></worksheet>`,
    strings,
  };
}

export function sharedStringsXml(strings: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${strings
    .map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`)
    .join('')}</sst>`;
}

/** The parts of a one-sheet workbook around `sheet` and `sharedStrings` (each may be replaced). */
export function workbookParts(options: {
  sheet: ZipPart['data'] | ZipPart;
  sharedStrings?: ZipPart['data'] | ZipPart;
  /** xl/styles.xml (the reader finds it without a relationship). */
  styles?: ZipPart['data'] | ZipPart;
  omitWorkbook?: boolean;
}): ZipPart[] {
  const part = (name: string, value: Buffer | ZipPart): ZipPart =>
    Buffer.isBuffer(value) ? { name, data: value } : { ...value, name };
  const text = (s: string) => Buffer.from(s, 'utf8');
  return [
    part(
      '[Content_Types].xml',
      text(
        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
      ),
    ),
    part(
      '_rels/.rels',
      text(
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    ),
    ...(options.omitWorkbook
      ? []
      : [
          part(
            'xl/workbook.xml',
            text(
              `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets><sheet name="Adhérents" sheetId="1" r:id="rId1"/></sheets></workbook>`,
            ),
          ),
          part(
            'xl/_rels/workbook.xml.rels',
            text(
              `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
            ),
          ),
        ]),
    part('xl/worksheets/sheet1.xml', options.sheet ?? Buffer.alloc(0)),
    ...(options.sharedStrings !== undefined
      ? [part('xl/sharedStrings.xml', options.sharedStrings)]
      : []),
    ...(options.styles !== undefined ? [part('xl/styles.xml', options.styles)] : []),
  ];
}

/** A one-sheet XLSX of `rows`. */
export function xlsxBytes(rows: string[][], options: SheetOptions = {}): Buffer {
  const { sheet, strings } = sheetXml(rows, options);
  return zipBytes(
    workbookParts({
      sheet: Buffer.from(sheet, 'utf8'),
      sharedStrings: Buffer.from(sharedStringsXml(strings), 'utf8'),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Inspections: measured on the bytes, independently of how the generator made them.

/** CSV line endings outside quoted cells. */
export function lineEndings(text: string): { crlf: number; lf: number; cr: number } {
  const n = { crlf: 0, lf: 0, cr: 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '\r' && text[i + 1] === '\n') {
      n.crlf++;
      i++;
    } else if (c === '\r') n.cr++;
    else if (c === '\n') n.lf++;
  }
  return n;
}

/** The longest CSV cell, in UTF-8 bytes (quotes and the quoting state followed). */
export function longestCsvCell(text: string, delimiter: string): number {
  let longest = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (i === text.length || (!quoted && (c === delimiter || c === '\n' || c === '\r'))) {
      longest = Math.max(longest, Buffer.byteLength(text.slice(start, i)));
      start = i + 1;
    }
  }
  return longest;
}

// eslint-disable-next-line no-control-regex -- counting control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function countControls(text: string): number {
  return text.match(CONTROL)?.length ?? 0;
}

export function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export type ZipListing = {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  dataOffset: number;
}[];

/** The central directory of a zip (as written by zipBytes: no zip64, no comment). */
export function zipListing(bytes: Buffer): ZipListing {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return [];
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const listing: ZipListing = [];
  for (let i = 0; i < count; i++) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    listing.push({
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      declaredSize: bytes.readUInt32LE(at + 24),
      dataOffset: local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28),
    });
    at += 46 + nameLength + extra + comment;
  }
  return listing;
}

/** Inflates a part, counting, until past `cap` bytes (then stops): the count, at most cap + a chunk. */
export async function inflatedSize(
  bytes: Buffer,
  entry: ZipListing[number],
  cap: number,
): Promise<number> {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) return data.length;
  const inflate = zlib.createInflateRaw();
  let n = 0;
  return new Promise((resolve, reject) => {
    inflate.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > cap) {
        inflate.destroy();
        resolve(n);
      }
    });
    inflate.on('end', () => resolve(n));
    inflate.on('error', reject);
    inflate.end(data);
  });
}

/** The text of a (small) stored or deflated part. */
export function partText(bytes: Buffer, entry: ZipListing[number]): string {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  return (
    entry.method === 0 ? data : zlib.inflateRawSync(data, { maxOutputLength: 64 * 1024 * 1024 })
  ).toString('utf8');
}

/** The header cells of a CSV text (first record, quotes honoured). */
export function csvHeader(text: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') break;
    else cell += c;
  }
  cells.push(cell);
  return cells.map((h) => h.replace(/^\uFEFF/, ''));
}

// ---------------------------------------------------------------------------------------------
// The cases. Each family says what it attacks; `n` cases of it per run, each from its own stream.

const MiB = 1024 * 1024;
const LIMIT_SETTING = /ISOLOIR_IMPORT_MAX_(ZIP_ENTRY|XLSX_TEXT)_BYTES/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A quoted-or-not huge cell of exactly `bytes` ASCII bytes; quoted ones hold delimiters and newlines. */
function hugeCell(bytes: number, quoted: boolean): string {
  const unit = quoted ? 'abc;def,g,h"i ' : 'abcdefghij';
  const cell = unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
  if (!quoted || bytes < 8) return cell;
  // Quoted: delimiters, quotes and a few line breaks (a quoted cell still open after
  // MAX_QUOTED_LINES lines is read as a stray quote, not as one cell). Same length, all ASCII.
  const a = Math.floor(bytes / 3);
  const b = Math.floor((2 * bytes) / 3);
  return `${cell.slice(0, a)}\r\n${cell.slice(a + 2, b)}\n${cell.slice(b + 1)}`;
}

const CONTROL_POOL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u001b[2J',
  '\u001b]0;x\u0007',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u202e',
  '\u2066',
  '\u2028',
];

function csvCase(
  family: string,
  n: number,
  build: (r: Rng, tag: string) => HostileFile | Promise<HostileFile>,
  extra: Partial<HostileCase> = {},
): HostileCase[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `${family}#${i}`;
    return { name, family, ...extra, build: async (r) => build(r, caseTag(name)) };
  });
}

function bombSharedStrings(bytes: number): ZipPart['deflated'] {
  return deflatedRepeat(
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">`,
    `<si><t>${'A'.repeat(1000)}</t></si>`,
    bytes,
    '</sst>',
  );
}

function bombSheet(bytes: number): ZipPart['deflated'] {
  return deflatedRepeat(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>`,
    ' '.repeat(1024),
    bytes,
    '</sheetData></worksheet>',
  );
}

/** A small valid sheet (header + rows) with its shared strings, as zip parts' data. */
function smallSheet(rows: string[][]): { sheet: Buffer; sharedStrings: Buffer } {
  const { sheet, strings } = sheetXml(rows);
  return {
    sheet: Buffer.from(sheet, 'utf8'),
    sharedStrings: Buffer.from(sharedStringsXml(strings), 'utf8'),
  };
}

export function hostileCases(): HostileCase[] {
  return [
    // Mixed line endings: a CRLF header with LF rows, or CR, LF and CRLF mixed; quoted cells
    // holding line breaks stay one cell. One record per line, every row read.
    ...csvCase('csv/mixed-endings', 6, (r, tag) => {
      const count = r.int(3, 40);
      const rows = memberRows(r, count, tag);
      for (const row of rows)
        if (r.chance(0.2)) row[4] = r.pick(['à rappeler\r\nle soir', 'ligne 1\nligne 2', 'a\rb']);
      const onlyLf = r.chance(0.3);
      const eol = (i: number) =>
        i === 0
          ? '\r\n'
          : onlyLf
            ? '\n'
            : i === 1
              ? '\n'
              : i === 2
                ? '\r'
                : r.pick(['\n', '\r\n', '\r']);
      const delimiter = r.pick([';', ',', '\t']);
      const bytes = csvBytes([MEMBER_HEADERS, ...rows], {
        delimiter,
        eol,
        finalEol: r.chance(0.5),
      });
      return {
        bytes,
        extension: 'csv',
        delimiter,
        expect: { outcome: 'imported', rows: count, rejected: 0 },
        claims: { endings: { crlf: 1, lf: 1, cr: onlyLf ? 0 : 1 } },
      };
    }),

    // A cell over the cell limit rejects its own row only, wherever it is and however quoted; a
    // cell of exactly the limit is kept.
    ...csvCase(
      'csv/huge-cell',
      6,
      (r, tag) => {
        const count = r.int(3, 30);
        const rows = memberRows(r, count, tag);
        const huge = new Set<number>();
        for (let k = r.int(1, Math.min(3, count)); huge.size < k;) huge.add(r.int(0, count - 1));
        const limit = SMALL_LIMITS.maxCellBytes;
        let largest = 0;
        rows.forEach((row, i) => {
          if (huge.has(i)) {
            const size = r.pick([limit + 1, limit + r.int(2, 100), limit * r.int(2, 16)]);
            row[r.pick([0, 4, 4])] = hugeCell(size, r.chance(0.5));
            largest = Math.max(largest, size);
          } else if (r.chance(0.2)) row[4] = hugeCell(limit, r.chance(0.5)); // at the limit
        });
        const bytes = csvBytes([MEMBER_HEADERS, ...rows], { eol: r.pick(['\n', '\r\n']) });
        return {
          bytes,
          extension: 'csv',
          delimiter: ';',
          expect: { outcome: 'imported', rows: count, rejected: huge.size },
          claims: { hugeCell: largest },
        };
      },
      { limits: SMALL_LIMITS },
    ),
    // The issue's case at the default limit (1 MiB): one 2 MiB cell among valid rows.
    ...csvCase('csv/huge-cell-default', 1, (r, tag) => {
      const rows = memberRows(r, 4, tag);
      rows[1]![4] = hugeCell(2 * MiB, true);
      return {
        bytes: csvBytes([MEMBER_HEADERS, ...rows]),
        extension: 'csv',
        delimiter: ';',
        expect: { outcome: 'imported', rows: 4, rejected: 1 },
        claims: { hugeCell: 2 * MiB },
      };
    }),

    // Encodings: what can be read is read, whole; what cannot be told apart is refused, not
    // stored garbled.
    ...(
      [
        ['utf-8', false, 'imported'],
        ['utf-8', true, 'imported'],
        ['windows-1252', false, 'imported'],
        ['utf-16le', true, 'imported'],
        ['utf-16be', true, 'imported'],
        ['utf-8+fffd', false, 'imported'],
        ['utf-8+fffd+explicit', false, 'imported'],
        ['shift_jis', false, 'either'],
        ['windows-1252+explicit-utf-8', false, 'either'],
      ] as const
    ).flatMap(([variant, bom, outcome]) =>
      csvCase(
        `csv/encoding-${variant}${bom ? '-bom' : ''}`,
        1,
        (r, tag) => {
          const count = r.int(3, 20);
          const rows = memberRows(r, count, tag);
          if (variant.includes('fffd')) rows[0]![4] = 'illisible \uFFFD ici';
          if (variant === 'shift_jis')
            rows.forEach((row, j) => {
              row[1] = ['さくら', '太郎', '花子', '健'][j % 4]!;
              row[4] = '東京都渋谷区';
            });
          const encoding = variant.startsWith('utf-8') ? 'utf-8' : variant.replace(/\+.*$/, '');
          const bytes = csvBytes([MEMBER_HEADERS, ...rows], { encoding, bom });
          const claims: Claims = {
            ...(variant.includes('fffd') ? { utf8WithReplacement: true } : {}),
            ...(encoding === 'windows-1252' || encoding === 'shift_jis' ? { notUtf8: true } : {}),
            ...(bom
              ? { bom: encoding === 'utf-8' ? 'efbbbf' : encoding === 'utf-16le' ? 'fffe' : 'feff' }
              : {}),
          };
          return {
            bytes,
            extension: 'csv',
            delimiter: ';',
            expect:
              outcome === 'imported'
                ? { outcome, rows: count, rejected: 0 }
                : { outcome, rows: count },
            claims,
          };
        },
        variant.includes('explicit') ? { encoding: 'utf-8' } : {},
      ),
    ),

    // Control characters (C0, DEL, C1, bidi overrides, separators) inside cells: never a crash;
    // quoted, they do not change where records end.
    ...csvCase('csv/control-characters', 6, (r, tag) => {
      const count = r.int(30, 60);
      const rows = memberRows(r, count, tag);
      let injected = 0;
      const spoilt = r.int(1, 5);
      for (let k = 0; k < spoilt; k++) {
        const row = rows[r.int(0, count - 1)]!;
        const col = r.int(0, 4);
        const c = r.pick(CONTROL_POOL);
        row[col] = `${row[col]}${c}x`;
        injected += countControls(c);
      }
      const header = [...MEMBER_HEADERS];
      if (r.chance(0.3)) {
        header[4] = `Note${r.pick(CONTROL_POOL)}`;
        injected += countControls(header[4]);
      }
      // Most files quote every cell; some do not (a raw U+2028 or ESC is still one cell).
      const bytes = csvBytes([header, ...rows], { quoteAll: r.chance(0.5) });
      return {
        bytes,
        extension: 'csv',
        delimiter: ';',
        expect: { outcome: 'either', rows: count },
        claims: { controls: injected },
      };
    }),

    // Duplicated headers: refused naming the header, or read with the second column counted.
    ...csvCase('csv/duplicate-headers', 4, (r, tag) => {
      const count = r.int(2, 15);
      const rows = memberRows(r, count, tag);
      const which = r.pick([0, 2, 4]);
      const name = MEMBER_HEADERS[which]!;
      const twin = r.pick([name, name.toUpperCase(), ` ${name} `]);
      const header = [...MEMBER_HEADERS, twin];
      const body = rows.map((row) => [...row, row[which]!]);
      return {
        bytes: csvBytes([header, ...body]),
        extension: 'csv',
        delimiter: ';',
        expect: { outcome: 'either', rows: count, message: new RegExp(escapeRegExp(name), 'i') },
        claims: { duplicateHeader: name },
      };
    }),

    // Garbage: random bytes, unbalanced quotes, a line of delimiters, thousands of columns,
    // nothing at all. Never a crash, never a hang.
    ...csvCase('csv/garbage', 10, (r, tag) => {
      const kind = r.pick([
        'bytes',
        'quote',
        'delimiters',
        'wide',
        'empty',
        'header-only',
        'long-line',
      ]);
      let bytes: Buffer;
      if (kind === 'empty') bytes = Buffer.from(r.pick(['', '\uFEFF', '\r\n\r\n', ';;;']), 'utf8');
      else if (kind === 'header-only') bytes = csvBytes([MEMBER_HEADERS]);
      else if (kind === 'wide')
        bytes = csvBytes([
          Array.from({ length: r.int(2000, 6000) }, (_, i) => `Col${i}`),
          ...memberRows(r, 3, tag),
        ]);
      else if (kind === 'delimiters')
        bytes = Buffer.from(`${MEMBER_HEADERS.join(';')}\n${';'.repeat(r.int(1000, 200_000))}\n`);
      else if (kind === 'long-line') bytes = Buffer.from('x'.repeat(r.int(10_000, 3 * MiB)));
      else {
        let text = csvText([MEMBER_HEADERS, ...memberRows(r, r.int(1, 30), tag)]);
        for (let k = r.int(1, 8); k > 0; k--) {
          const at = r.int(0, text.length);
          text = text.slice(0, at) + (kind === 'quote' ? '"' : '') + text.slice(at);
        }
        bytes = Buffer.from(text, 'utf8');
        if (kind === 'bytes')
          for (let k = r.int(1, 12); k > 0; k--) bytes[r.int(0, bytes.length - 1)] = r.int(0, 255);
      }
      return { bytes, extension: 'csv', delimiter: ';', expect: { outcome: 'either' }, claims: {} };
    }),

    // XLSX: cells without their optional `r` attribute (valid ECMA-376) are read in place.
    ...csvCase('xlsx/cells-without-r', 3, (r, tag) => {
      const count = r.int(2, 25);
      const rows = [MEMBER_HEADERS, ...memberRows(r, count, tag)];
      const bytes = xlsxBytes(rows, {
        withR: (ri, ci) => (ri === 0 && ci === 0 ? false : r.chance(0.5)),
        inline: r.chance(0.3),
      });
      return {
        bytes,
        extension: 'xlsx',
        expect: { outcome: 'imported', rows: count, rejected: 0 },
        claims: { cellsWithoutR: 1 },
      };
    }),

    ...csvCase(
      'xlsx/huge-cell',
      2,
      (r, tag) => {
        const count = r.int(3, 12);
        const rows = memberRows(r, count, tag);
        const at = r.int(0, count - 1);
        const size = SMALL_LIMITS.maxCellBytes + r.int(1, 8000);
        rows[at]![r.pick([0, 4])] = hugeCell(size, false);
        return {
          bytes: xlsxBytes([MEMBER_HEADERS, ...rows], { inline: r.chance(0.5) }),
          extension: 'xlsx',
          expect: { outcome: 'imported', rows: count, rejected: 1 },
          claims: { hugeCell: size },
        };
      },
      { limits: SMALL_LIMITS },
    ),

    // Zip bombs, small enough to be quick under small limits.
    ...csvCase(
      'xlsx/shared-strings-bomb',
      2,
      (r) => {
        const sheet = smallSheet([MEMBER_HEADERS]).sheet;
        const size = r.int(2, 16) * MiB;
        return {
          bytes: zipBytes(
            workbookParts({
              sheet,
              sharedStrings: { name: '', deflated: bombSharedStrings(size) },
            }),
          ),
          extension: 'xlsx',
          expect: { outcome: 'refused', message: LIMIT_SETTING },
          claims: {
            inflatesPast: { part: 'xl/sharedStrings.xml', bytes: SMALL_LIMITS.maxZipEntryBytes },
          },
        };
      },
      { limits: SMALL_LIMITS },
    ),
    ...csvCase(
      'xlsx/sheet-bomb',
      1,
      () => ({
        bytes: zipBytes(
          workbookParts({
            sheet: { name: '', deflated: bombSheet(8 * MiB) },
            sharedStrings: smallSheet([MEMBER_HEADERS]).sharedStrings,
          }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: LIMIT_SETTING },
        claims: {
          inflatesPast: { part: 'xl/worksheets/sheet1.xml', bytes: SMALL_LIMITS.maxZipEntryBytes },
        },
      }),
      { limits: SMALL_LIMITS },
    ),
    // Headers that lie: a part declares 1 KB and inflates to 8 MiB.
    ...csvCase(
      'xlsx/lying-size-bomb',
      1,
      () => ({
        bytes: zipBytes(
          workbookParts({
            sheet: smallSheet([MEMBER_HEADERS]).sheet,
            sharedStrings: { name: '', deflated: bombSharedStrings(8 * MiB), declaredSize: 1000 },
          }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: /./ },
        claims: {
          inflatesPast: {
            part: 'xl/sharedStrings.xml',
            bytes: SMALL_LIMITS.maxZipEntryBytes,
            declaredBytes: 'smaller',
          },
        },
      }),
      { limits: SMALL_LIMITS },
    ),
    // Many small shared strings: the part is under the entry limit, their text over the budget.
    ...csvCase(
      'xlsx/text-budget',
      1,
      () => {
        const strings = Array.from({ length: 8000 }, (_, i) => `${letters(i)}-${'z'.repeat(40)}`);
        return {
          bytes: zipBytes(
            workbookParts({
              sheet: smallSheet([MEMBER_HEADERS]).sheet,
              sharedStrings: Buffer.from(sharedStringsXml([...MEMBER_HEADERS, ...strings]), 'utf8'),
            }),
          ),
          extension: 'xlsx',
          expect: { outcome: 'refused', message: /ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES/ },
          claims: { sharedTextPast: SMALL_LIMITS.maxXlsxTextBytes },
        };
      },
      { limits: SMALL_LIMITS },
    ),
    ...csvCase('xlsx/no-workbook', 1, (r, tag) => {
      const { sheet, sharedStrings } = smallSheet([MEMBER_HEADERS, ...memberRows(r, 3, tag)]);
      return {
        bytes: zipBytes(workbookParts({ sheet, sharedStrings, omitWorkbook: true })),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: /./ },
        claims: { noWorkbook: true },
      };
    }),
    ...csvCase('xlsx/duplicate-part', 1, (r, tag) => {
      const good = smallSheet([MEMBER_HEADERS, ...memberRows(r, 3, tag)]);
      const other = smallSheet([['Religion'], ['x']]);
      const parts = workbookParts(good);
      parts.push({ name: 'xl/worksheets/sheet1.xml', data: other.sheet });
      return {
        bytes: zipBytes(parts),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: /./ },
        claims: { duplicatePart: true },
      };
    }),
    // Entity expansion ("billion laughs") in the shared strings.
    ...csvCase('xlsx/billion-laughs', 1, () => {
      const entities = ['<!ENTITY lol0 "lollollollollollollollollollol">'];
      for (let i = 1; i <= 9; i++)
        entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
      const xml = `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [${entities.join('')}]><sst xmlns="${NS}"><si><t>Nom</t></si><si><t>&lol9;</t></si></sst>`;
      const { sheet } = sheetXml([['Nom'], ['x']]);
      return {
        bytes: zipBytes(
          workbookParts({ sheet: Buffer.from(sheet), sharedStrings: Buffer.from(xml) }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'either' },
        claims: { entityDeclarations: true },
      };
    }),
    // OOXML's own escapes of control characters (_x001B_) and raw C1 / bidi characters.
    ...csvCase('xlsx/control-characters', 2, (r, tag) => {
      const count = r.int(3, 10);
      const rows = memberRows(r, count, tag);
      rows[0]![4] = 'a_x001B_[2Jb\u0085c\u202ed';
      rows[count - 1]![0] = `${rows[count - 1]![0]}_x0007_`;
      return {
        bytes: xlsxBytes([MEMBER_HEADERS, ...rows], { inline: r.chance(0.5) }),
        extension: 'xlsx',
        expect: { outcome: 'either', rows: count },
        claims: { controls: 2 },
      };
    }),
    ...csvCase('xlsx/duplicate-headers', 1, (r, tag) => {
      const rows = memberRows(r, 4, tag).map((row) => [...row, row[2]!]);
      return {
        bytes: xlsxBytes([[...MEMBER_HEADERS, 'Email'], ...rows]),
        extension: 'xlsx',
        expect: { outcome: 'either', rows: 4, message: /Email/i },
        claims: { duplicateHeader: 'Email' },
      };
    }),
    // A valid workbook cut short, or with bytes overwritten.
    ...csvCase('xlsx/damaged', 4, (r, tag) => {
      const whole = xlsxBytes([MEMBER_HEADERS, ...memberRows(r, r.int(2, 20), tag)]);
      const bytes = r.chance(0.5)
        ? whole.subarray(0, r.int(4, whole.length - 1))
        : Buffer.from(whole);
      if (bytes.length === whole.length)
        for (let k = r.int(1, 20); k > 0; k--) bytes[r.int(0, bytes.length - 1)] = r.int(0, 255);
      return { bytes, extension: 'xlsx', expect: { outcome: 'either' }, claims: {} };
    }),

    // The issue's file, at the default limits: a part inflating to a gigabyte from two
    // megabytes. Refused naming the limit, within the hang guard, under the RSS bound.
    ...csvCase(
      'xlsx/gigabyte-shared-strings',
      1,
      () => ({
        bytes: zipBytes(
          workbookParts({
            sheet: smallSheet([MEMBER_HEADERS]).sheet,
            sharedStrings: { name: '', deflated: bombSharedStrings(1024 * MiB) },
          }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: LIMIT_SETTING },
        claims: { inflatesPast: { part: 'xl/sharedStrings.xml', bytes: 150 * MiB } },
      }),
      { heavy: true },
    ),
    // Declared honestly and under the entry limit, the shared strings pass the text budget as
    // they inflate: the reader holds at most the budget, then refuses.
    ...csvCase(
      'xlsx/shared-strings-past-the-text-budget',
      1,
      () => ({
        bytes: zipBytes(
          workbookParts({
            sheet: smallSheet([MEMBER_HEADERS]).sheet,
            sharedStrings: { name: '', deflated: bombSharedStrings(140 * MiB) },
          }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: LIMIT_SETTING },
        claims: { inflatesPast: { part: 'xl/sharedStrings.xml', bytes: 64 * MiB } },
      }),
      { heavy: true },
    ),
    ...csvCase(
      'xlsx/gigabyte-sheet',
      1,
      () => ({
        bytes: zipBytes(
          workbookParts({
            sheet: { name: '', deflated: bombSheet(1024 * MiB) },
            sharedStrings: smallSheet([MEMBER_HEADERS]).sharedStrings,
          }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: LIMIT_SETTING },
        claims: { inflatesPast: { part: 'xl/worksheets/sheet1.xml', bytes: 150 * MiB } },
      }),
      { heavy: true },
    ),
    ...csvCase(
      'xlsx/gigabyte-lying-size',
      1,
      () => ({
        bytes: zipBytes(
          workbookParts({
            sheet: smallSheet([MEMBER_HEADERS]).sheet,
            sharedStrings: {
              name: '',
              deflated: bombSharedStrings(1024 * MiB),
              declaredSize: 4096,
            },
          }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: /./ },
        claims: {
          inflatesPast: {
            part: 'xl/sharedStrings.xml',
            bytes: 150 * MiB,
            declaredBytes: 'smaller',
          },
        },
      }),
      { heavy: true },
    ),
    // Sparse rows: each one cell at column XFC, a few bytes of text standing for 16,383 cells.
    // The reader rejects each row (more cells than columns) without making the empty cells.
    ...csvCase(
      'xlsx/sparse-columns',
      1,
      () => {
        const cells = MEMBER_HEADERS.map(
          (h, i) => `<c r="${colName(i)}1" t="inlineStr"><is><t>${escapeXml(h)}</t></is></c>`,
        ).join('');
        const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1">${cells}</row>`;
        const row = '<row><c r="XFC2"><v>1</v></c></row>';
        const tail = '</sheetData></worksheet>';
        return {
          bytes: zipBytes(
            workbookParts({
              sheet: { name: '', deflated: deflatedRepeat(head, row, 60_000 * row.length, tail) },
            }),
          ),
          extension: 'xlsx',
          expect: { outcome: 'either' },
          claims: {},
        };
      },
      { heavy: true },
    ),
    // Styles of 29 million cell formats, 145 MB inflated (under the 150 MiB entry limit):
    // refused by the styles' own caps, never held.
    ...csvCase(
      'xlsx/styles-bomb',
      1,
      () => ({
        bytes: zipBytes(
          workbookParts({
            sheet: smallSheet([MEMBER_HEADERS]).sheet,
            sharedStrings: smallSheet([MEMBER_HEADERS]).sharedStrings,
            styles: {
              name: '',
              deflated: deflatedRepeat(
                `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${NS}"><cellXfs>`,
                '<xf/>',
                145_000_000,
                '</cellXfs></styleSheet>',
              ),
            },
          }),
        ),
        extension: 'xlsx',
        expect: { outcome: 'refused', message: /cell formats|far more than any workbook needs/ },
        claims: {},
      }),
      { heavy: true },
    ),
  ];
}
