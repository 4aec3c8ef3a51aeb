// The workbook's structure, read before any sheet: which part is the workbook, its sheets (name,
// part, visibility), its date system, which cell styles are dates, and the shared strings.
// Everything held is counted against the text budget (ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES).
import type { ImportLimits } from '../limits.ts';
import { damaged, notWorkbook, partTooLarge, textTooLarge, tooManyStyles } from './refusals.ts';
import { SharedStrings } from './shared-strings.ts';
import { parseWholeXml } from './xml.ts';
import type { ZipArchive } from './zip.ts';

/** What the reader may hold in memory at once, whatever part it comes from. */
export class TextBudget {
  held = 0;
  constructor(readonly limit: number) {}

  /** Counts `bytes` more held; refuses the file past the limit. */
  take(bytes: number): void {
    this.held += bytes;
    if (this.held > this.limit) throw textTooLarge(this.limit);
  }

  /** Whether `bytes` more would pass the limit (without taking them). */
  check(bytes: number): void {
    if (this.held + bytes > this.limit) throw textTooLarge(this.limit);
  }
}

export type SheetRef = { name: string; part: string; hidden: boolean };

export type Workbook = {
  sheets: SheetRef[];
  date1904: boolean;
  /** By cell style index (the `s` attribute): whether numbers in that style are dates. */
  dateStyles: boolean[];
  strings: SharedStrings;
};

type Relationship = { type: string; target: string };

export type PartReader = {
  zip: ZipArchive;
  limits: ImportLimits;
  budget: TextBudget;
  onRead: (compressed: number) => void;
};

const REL = {
  officeDocument: /\/officeDocument$/,
  worksheet: /\/worksheet$/,
  sharedStrings: /\/sharedStrings$/,
  styles: /\/styles$/,
};

/**
 * What the workbook, its relationships and the styles may inflate to: far more than any
 * workbook's (64,000 cell formats take about 4 MB), far less than a worksheet may.
 */
export const MAX_META_PART_BYTES = 16 * 1024 * 1024;
/** Excel's limit on the cell formats of a workbook (cellXfs). */
export const MAX_CELL_FORMATS = 64_000;
/** Number formats: Excel allows a few hundred custom ones; this bounds a hostile list. */
export const MAX_NUMBER_FORMATS = 64_000;
/** What one cell format held costs in memory (an array slot), counted against the text budget. */
const CELL_FORMAT_COST = 8;
/** What one number format held costs (a Map entry), on top of its code. */
const NUMBER_FORMAT_COST = 64;

function xml(
  reader: PartReader,
  part: string,
  handlers: Parameters<typeof parseWholeXml>[2],
  options: { shared?: boolean } = {},
) {
  const { maxZipEntryBytes } = reader.limits;
  const read = options.shared
    ? { maxBytes: maxZipEntryBytes }
    : { maxBytes: Math.min(maxZipEntryBytes, MAX_META_PART_BYTES), tooLarge: partTooLarge };
  return parseWholeXml(part, reader.zip.read(part, { ...read, onRead: reader.onRead }), handlers, {
    maxPendingChars: reader.limits.maxXlsxTextBytes,
    tooMuchText: () => textTooLarge(reader.limits.maxXlsxTextBytes),
  });
}

/** A relationship target, resolved against the folder of the part that points at it. */
export function resolveTarget(from: string, target: string): string {
  const segments = target.startsWith('/')
    ? []
    : from
        .split('/')
        .slice(0, -1)
        .filter((s) => s !== '');
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments.join('/');
}

/** `xl/workbook.xml` -> `xl/_rels/workbook.xml.rels` */
function relsOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

async function relationships(reader: PartReader, part: string): Promise<Map<string, Relationship>> {
  const rels = new Map<string, Relationship>();
  const file = relsOf(part);
  if (!reader.zip.has(file)) return rels;
  await xml(reader, file, {
    open(name, a) {
      if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
      reader.budget.take(a.Id.length + a.Target.length + (a.Type?.length ?? 0));
      rels.set(a.Id, { type: a.Type ?? '', target: resolveTarget(part, a.Target) });
    },
    close() {},
    text() {},
  });
  return rels;
}

/** The workbook part, or the refusal saying what the archive looks like instead. */
async function workbookPart(reader: PartReader): Promise<string> {
  const root = await relationships(reader, '');
  const office = [...root.values()].find((r) => REL.officeDocument.test(r.type));
  const part = office?.target ?? 'xl/workbook.xml';
  if (part.toLowerCase().endsWith('.bin') || reader.zip.has('xl/workbook.bin'))
    throw notWorkbook('xlsb');
  if (reader.zip.has(part)) return part;
  if (reader.zip.has('word/document.xml')) throw notWorkbook('docx');
  if (reader.zip.has('ppt/presentation.xml')) throw notWorkbook('pptx');
  if (reader.zip.has('mimetype') || reader.zip.has('content.xml'))
    throw notWorkbook('opendocument');
  throw notWorkbook('zip');
}

/** Built-in number formats that are dates or times (ECMA-376 18.8.30, and Excel's CJK ones). */
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

/** A custom format is a date when, outside quoted text, escapes and [...] blocks, it has y/m/d/h/s/b. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/[\\_*]./g, '') // an escaped character, a space as wide as one, a fill
    .replace(/\[[^\]]*\]/g, '')
    .split(';')[0]!;
  return /[ymdhsb]/i.test(bare) && !/^general$/i.test(bare.trim());
}

async function styles(reader: PartReader, part: string | undefined): Promise<boolean[]> {
  if (part === undefined || !reader.zip.has(part)) return [];
  const custom = new Map<number, boolean>();
  const dates: boolean[] = [];
  let numberFormats = 0;
  let inCellXfs = false;
  await xml(reader, part, {
    open(name, a) {
      if (name === 'numFmt' && a.numFmtId !== undefined) {
        if (++numberFormats > MAX_NUMBER_FORMATS)
          throw tooManyStyles('number formats', MAX_NUMBER_FORMATS);
        reader.budget.take(NUMBER_FORMAT_COST);
        custom.set(Number(a.numFmtId), isDateFormat(a.formatCode ?? ''));
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        if (dates.length >= MAX_CELL_FORMATS) throw tooManyStyles('cell formats', MAX_CELL_FORMATS);
        reader.budget.take(CELL_FORMAT_COST);
        const id = Number(a.numFmtId ?? 0);
        dates.push(custom.get(id) ?? BUILT_IN_DATE_FORMATS.has(id));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return dates;
}

async function sharedStrings(reader: PartReader, part: string | undefined): Promise<SharedStrings> {
  const strings = new SharedStrings(reader.budget, reader.limits.maxCellBytes);
  if (part === undefined || !reader.zip.has(part)) return strings;
  let inSi = false;
  let inT = false;
  let phonetic = 0;
  await xml(
    reader,
    part,
    {
      open(name) {
        if (name === 'si') {
          inSi = true;
          strings.begin();
        } else if (name === 't' && inSi) inT = true;
        else if (name === 'rPh') phonetic++;
      },
      close(name) {
        if (name === 'si') {
          inSi = false;
          strings.end();
        } else if (name === 't') inT = false;
        else if (name === 'rPh') phonetic--;
      },
      text(text) {
        // The phonetic reading (rPh, over Japanese text) is not part of the value.
        if (inSi && inT && phonetic === 0) strings.append(text);
      },
    },
    { shared: true },
  );
  return strings;
}

export async function readWorkbook(reader: PartReader): Promise<Workbook> {
  const part = await workbookPart(reader);
  const rels = await relationships(reader, part);
  const sheets: SheetRef[] = [];
  let date1904 = false;
  await xml(reader, part, {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      if (name !== 'sheet') return;
      const id = Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
      const rel = id === undefined ? undefined : rels.get(id);
      // Chart sheets, dialog and macro sheets hold no rows.
      if (!rel || !REL.worksheet.test(rel.type)) return;
      if (!reader.zip.has(rel.target)) throw damaged('a worksheet the workbook lists is missing');
      const sheetName = a.name ?? `Sheet${sheets.length + 1}`;
      reader.budget.take(sheetName.length + rel.target.length);
      sheets.push({
        name: sheetName,
        part: rel.target,
        hidden: a.state === 'hidden' || a.state === 'veryHidden',
      });
    },
    close() {},
    text() {},
  });
  const target = (re: RegExp) => [...rels.values()].find((r) => re.test(r.type))?.target;
  const dir = part.slice(0, part.lastIndexOf('/') + 1);
  const dateStyles = await styles(reader, target(REL.styles) ?? `${dir}styles.xml`);
  const strings = await sharedStrings(
    reader,
    target(REL.sharedStrings) ?? `${dir}sharedStrings.xml`,
  );
  return { sheets, date1904, dateStyles, strings };
}
