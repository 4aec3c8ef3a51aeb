// Writes hostile XLSX files for tests: zip bombs (a part inflating to gigabytes while the file
// stays a few MB), parts whose zip headers lie about their size, zips that are not workbooks,
// cells and rows without their optional `r`, huge cells. Written by hand (local headers, central
// directory), streaming: a repeated chunk is deflated once after a full flush, so the same
// compressed bytes stand for it every time and generating a 1 GB part costs a few MB of writing
// (and one pass of CRC-32 over the inflated bytes).
import fs from 'node:fs';
import zlib from 'node:zlib';

/** A part's content: plain bytes, or a head, a body repeated `times`, and a tail. */
export type PartContent =
  string | Buffer | { head: string; body: string; times: number; tail: string };

export type ZipPart = {
  name: string;
  content: PartContent;
  /** Stored (0) or deflated (8, the default). */
  method?: 0 | 8;
  /** The uncompressed size to write in the headers, when it should lie. */
  declaredSize?: number;
};

const FULL = { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH };

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** Writes the zip archive; returns its size in bytes. */
export function writeZip(file: string, parts: ZipPart[]): number {
  const fd = fs.openSync(file, 'w');
  let offset = 0;
  const write = (b: Buffer) => {
    fs.writeSync(fd, b);
    offset += b.length;
  };
  const central: Buffer[] = [];
  try {
    for (const part of parts) {
      const method = part.method ?? 8;
      const name = Buffer.from(part.name, 'utf8');
      // The data, as pieces to write (compressed or not), with the inflated size and CRC.
      const pieces: { bytes: Buffer; times: number }[] = [];
      let size = 0;
      let crc = 0;
      const add = (text: string | Buffer, times: number, last: boolean) => {
        const raw = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
        for (let i = 0; i < times; i++) crc = zlib.crc32(raw, crc);
        size += raw.length * times;
        const bytes =
          method === 0
            ? raw
            : last
              ? zlib.deflateRawSync(raw, { level: 9 })
              : zlib.deflateRawSync(raw, FULL);
        pieces.push({ bytes, times });
      };
      const content = part.content;
      if (typeof content === 'string' || Buffer.isBuffer(content)) add(content, 1, true);
      else {
        add(content.head, 1, false);
        add(content.body, content.times, false);
        add(content.tail, 1, true);
      }
      const compressed = pieces.reduce((n, p) => n + p.bytes.length * p.times, 0);
      if (size > 0xffffffff || compressed > 0xffffffff) throw new Error('zip64 is not written');
      const declared = part.declaredSize ?? size;
      const fields = [
        u16(20), // version needed
        u16(0x0800), // flags: UTF-8 names
        u16(method),
        u16(0), // time
        u16(0x21), // date: 1980-01-01
        u32(crc),
        u32(compressed),
        u32(declared),
        u16(name.length),
        u16(0), // extra
      ];
      const local = offset;
      write(Buffer.concat([u32(0x04034b50), ...fields, name]));
      for (const piece of pieces) for (let i = 0; i < piece.times; i++) write(piece.bytes);
      central.push(
        Buffer.concat([
          u32(0x02014b50),
          u16(20), // version made by
          ...fields,
          u16(0), // comment
          u16(0), // disk
          u16(0), // internal attributes
          u32(0), // external attributes
          u32(local),
          name,
        ]),
      );
    }
    const start = offset;
    for (const entry of central) write(entry);
    write(
      Buffer.concat([
        u32(0x06054b50),
        u16(0),
        u16(0),
        u16(central.length),
        u16(central.length),
        u32(offset - start),
        u32(start),
        u16(0),
      ]),
    );
  } finally {
    fs.closeSync(fd);
  }
  return offset;
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A worksheet part around `rows` (the XML of its <row> elements). */
export function sheetXml(rows: string): string {
  return `${XML}<worksheet xmlns="${NS}" xmlns:r="${REL_NS}"><sheetData>${rows}</sheetData></worksheet>`;
}

/** Rows of inline-string cells, each with its `r` (or without, when `refs` is false). */
export function inlineRows(rows: string[][], refs = true): string {
  return rows
    .map((cells, i) => {
      const row = refs ? ` r="${i + 1}"` : '';
      const body = cells
        .map((cell, j) => {
          const r = refs ? ` r="${String.fromCharCode(65 + j)}${i + 1}"` : '';
          return `<c${r} t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`;
        })
        .join('');
      return `<row${row}>${body}</row>`;
    })
    .join('');
}

export function sharedStringsXml(strings: string[]): string {
  const items = strings.map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('');
  return `${XML}<sst xmlns="${NS}" count="${strings.length}" uniqueCount="${strings.length}">${items}</sst>`;
}

export type WorkbookParts = {
  /** Sheet name -> worksheet XML. */
  sheets: Record<string, PartContent>;
  sharedStrings?: PartContent;
  styles?: PartContent;
  /** Headers to lie with, by part name. */
  declaredSizes?: Record<string, number>;
  /** Shared strings before the sheets in the archive (the default), or after. */
  sharedStringsFirst?: boolean;
};

/** A minimal valid workbook from its parts. */
export function writeWorkbook(file: string, parts: WorkbookParts): number {
  const names = Object.keys(parts.sheets);
  const workbook = `${XML}<workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets>${names
    .map((n, i) => `<sheet name="${escapeXml(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('')}</sheets></workbook>`;
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="${REL_NS}/${type}" Target="${target}"/>`;
  const workbookRels = `${XML}<Relationships xmlns="${PKG_NS}">${names
    .map((_, i) => rel(`rId${i + 1}`, 'worksheet', `worksheets/sheet${i + 1}.xml`))
    .join(
      '',
    )}${parts.sharedStrings !== undefined ? rel('rIdS', 'sharedStrings', 'sharedStrings.xml') : ''}${
    parts.styles !== undefined ? rel('rIdT', 'styles', 'styles.xml') : ''
  }</Relationships>`;
  const contentTypes = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${names
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join(
      '',
    )}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
  const rootRels = `${XML}<Relationships xmlns="${PKG_NS}">${rel('rId1', 'officeDocument', 'xl/workbook.xml')}</Relationships>`;

  const declared = (name: string) => parts.declaredSizes?.[name];
  const sheetParts: ZipPart[] = names.map((n, i) => ({
    name: `xl/worksheets/sheet${i + 1}.xml`,
    content: parts.sheets[n]!,
    declaredSize: declared(`xl/worksheets/sheet${i + 1}.xml`),
  }));
  const extra: ZipPart[] = [];
  if (parts.styles !== undefined)
    extra.push({
      name: 'xl/styles.xml',
      content: parts.styles,
      declaredSize: declared('xl/styles.xml'),
    });
  const strings: ZipPart[] =
    parts.sharedStrings === undefined
      ? []
      : [
          {
            name: 'xl/sharedStrings.xml',
            content: parts.sharedStrings,
            declaredSize: declared('xl/sharedStrings.xml'),
          },
        ];
  const first = parts.sharedStringsFirst ?? true;
  return writeZip(file, [
    { name: '[Content_Types].xml', content: contentTypes },
    { name: '_rels/.rels', content: rootRels },
    { name: 'xl/workbook.xml', content: workbook },
    { name: 'xl/_rels/workbook.xml.rels', content: workbookRels },
    ...extra,
    ...(first ? strings : []),
    ...sheetParts,
    ...(first ? [] : strings),
  ]);
}

/**
 * Shared strings that inflate to about `inflatedBytes`: many copies of one short string, as in
 * the 4.6 MB file of issue 13. A sheet whose header row uses them goes with it.
 */
export function sharedStringsBomb(inflatedBytes: number): PartContent {
  const item = `<si><t>${'A'.repeat(100)}</t></si>`;
  const body = item.repeat(Math.ceil((1 << 20) / item.length));
  const times = Math.ceil(inflatedBytes / body.length);
  const count = times * Math.ceil((1 << 20) / item.length);
  return {
    head: `${XML}<sst xmlns="${NS}" count="${count}" uniqueCount="${count}">`,
    body,
    times,
    tail: '</sst>',
  };
}

/** The hostile workbook of issue 13: a few MB whose shared strings inflate past `inflatedBytes`. */
export function writeSharedStringsBomb(
  file: string,
  inflatedBytes = 1.1 * 1024 ** 3,
  options: { declaredSize?: number } = {},
): number {
  const header = ['Nom', 'Prénom', 'Email']
    .map((_, j) => `<c r="${String.fromCharCode(65 + j)}1" t="s"><v>${j}</v></c>`)
    .join('');
  const rows = `<row r="1">${header}</row><row r="2"><c r="A2" t="s"><v>3</v></c></row>`;
  return writeWorkbook(file, {
    sheets: { Liste: sheetXml(rows) },
    sharedStrings: sharedStringsBomb(inflatedBytes),
    declaredSizes:
      options.declaredSize === undefined
        ? undefined
        : { 'xl/sharedStrings.xml': options.declaredSize },
  });
}

/** A worksheet that inflates to about `inflatedBytes` of identical rows. */
export function sheetBomb(inflatedBytes: number): PartContent {
  const row = '<row><c t="inlineStr"><is><t>Dupont</t></is></c><c><v>1</v></c></row>';
  const body = row.repeat(Math.ceil((1 << 20) / row.length));
  return {
    head: `${XML}<worksheet xmlns="${NS}"><sheetData>`,
    body,
    times: Math.ceil(inflatedBytes / body.length),
    tail: '</sheetData></worksheet>',
  };
}
