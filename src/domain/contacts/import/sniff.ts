// Looks at the start of a file to tell what it is: an XLSX workbook, or delimited text with its
// encoding and delimiter. Anything else (binary, other formats, text in an encoding that would
// be stored garbled) is refused with what it looks like. An encoding given (--encoding) is used
// as it is, never replaced by what sniffing finds, but its text must still be plausible.
import fs from 'node:fs/promises';
import iconv from 'iconv-lite';
import { DomainError } from '../../errors.ts';
import { chunkDecoder, UndecodableError } from './decode-text.ts';
import {
  implausibleText,
  utf16WithoutBom,
  looksLikeEbcdic,
  type Implausible,
} from './plausible-text.ts';
import { countLineBreaks, undecodableError } from './read-csv.ts';

export type Delimiter = ',' | ';' | '\t';
export type FileFormat =
  | { kind: 'xlsx' }
  | {
      kind: 'csv';
      encoding: string;
      delimiter: Delimiter;
      /** Whether the encoding is the one given (--encoding), not a sniffed one. */
      encodingGiven: boolean;
    };

const SAMPLE_BYTES = 64 * 1024;

const SIGNATURES: [number[], string][] = [
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel .xls or Word file: save it as .xlsx or .csv'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
];

function startsWith(sample: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => sample[i] === b);
}

/** Encoding names we accept for --encoding, mapped to iconv-lite's. */
export function checkEncoding(name: string): string {
  const normalised = name
    .trim()
    .toLowerCase()
    .replace(/^cp/, 'windows-')
    .replace(/^latin-?1$/, 'latin1');
  if (!iconv.encodingExists(normalised)) {
    throw DomainError.keyed(
      'invalid',
      'import.encoding_unknown',
      `encoding "${name}" is unknown; use utf-8, windows-1252 or latin1`,
      { encoding: name },
    );
  }
  return normalised === 'utf8' ? 'utf-8' : normalised;
}

function detectEncoding(sample: Buffer): string {
  if (startsWith(sample, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(sample, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(sample, [0xfe, 0xff])) return 'utf-16be';
  // Valid UTF-8 (ignoring a character cut by the end of the sample) is UTF-8; anything else
  // is taken as Windows-1252, the superset of Latin-1 that French exports use.
  for (let cut = 0; cut < 4; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
      return 'utf-8';
    } catch {
      // try with one byte less, in case the sample ends inside a character
    }
  }
  return 'windows-1252';
}

/** The delimiter that splits the first lines into the most consistent number of cells. */
export function detectDelimiter(text: string): Delimiter {
  const lines = text
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of [';', ',', '\t'] as const) {
    const counts = lines.map((line) => {
      let n = 0;
      let quoted = false;
      for (const ch of line) {
        if (ch === '"') quoted = !quoted;
        else if (ch === d && !quoted) n++;
      }
      return n;
    });
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    // Score: how many lines agree with the header's count, weighted by that count.
    const score = counts.filter((c) => c === first).length * 1000 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

export async function sniffFile(
  path: string,
  options: { encoding?: string } = {},
): Promise<FileFormat> {
  let sample: Buffer;
  try {
    const handle = await fs.open(path, 'r');
    try {
      const buffer = Buffer.alloc(SAMPLE_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
      sample = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw DomainError.keyed(
      'invalid',
      'import.unreadable',
      `cannot read the file: ${(error as Error).message}`,
    );
  }
  if (sample.length === 0) throw DomainError.keyed('invalid', 'import.empty', 'the file is empty');
  if (startsWith(sample, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'xlsx' };
  for (const [signature, what] of SIGNATURES) {
    if (startsWith(sample, signature)) {
      throw DomainError.keyed(
        'invalid',
        'import.not_csv_or_xlsx',
        `the file is not a CSV or XLSX file: it looks like ${what}`,
        { what },
      );
    }
  }
  // An empty field (a form left on "automatic") is no encoding given.
  const given = Boolean(options.encoding?.trim());
  const encoding = given ? checkEncoding(options.encoding!) : detectEncoding(sample);
  if (!encoding.startsWith('utf-16')) {
    const utf16 = utf16WithoutBom(sample);
    if (utf16) throw implausibleError(utf16, encoding);
    if (looksLikeEbcdic(sample)) throw implausibleError('ebcdic', encoding);
    // Text files have no NUL bytes and few control characters; a binary file has many.
    let control = 0;
    for (const byte of sample) {
      if (byte === 0) {
        throw DomainError.keyed(
          'invalid',
          'import.binary',
          'the file is not a CSV or XLSX file: it holds binary data',
        );
      }
      if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
    }
    if (control > sample.length / 100) {
      throw DomainError.keyed(
        'invalid',
        'import.binary',
        'the file is not a CSV or XLSX file: it holds binary data',
      );
    }
  }
  let text: string;
  try {
    // A character cut by the end of the sample waits in the decoder: it is not an error.
    text = chunkDecoder(encoding).write(sample);
  } catch (error) {
    if (!(error instanceof UndecodableError)) throw error;
    throw undecodableError(countLineBreaks(error.before) + 1, encoding, given);
  }
  const implausible = implausibleText(sample, text, encoding);
  if (implausible) throw implausibleError(implausible, encoding);
  return { kind: 'csv', encoding, delimiter: detectDelimiter(text), encodingGiven: given };
}

/** The refusal of a file whose text would be stored garbled, saying what it looks like. */
function implausibleError(what: Implausible, encoding: string): DomainError {
  switch (what) {
    case 'utf-16le':
    case 'utf-16be':
      return DomainError.keyed(
        'invalid',
        'import.utf16_without_bom',
        `the file looks like UTF-16 text without a byte order mark: import it again with --encoding ${what}`,
        { encoding: what },
      );
    case 'ebcdic':
      return DomainError.keyed(
        'invalid',
        'import.looks_like_ebcdic',
        'the file looks like EBCDIC text (a mainframe export), which cannot be imported: convert it to UTF-8 first',
      );
    case 'shift_jis':
      return DomainError.keyed(
        'invalid',
        'import.looks_like_shift_jis',
        `the file does not read as ${encoding} text: it looks like Japanese text (Shift-JIS); if so, import it again with --encoding shift_jis`,
        { encoding },
      );
    default:
      return DomainError.keyed(
        'invalid',
        'import.implausible_text',
        `the file does not read as ${encoding} text: it looks like text in another encoding, or binary data; import it again with --encoding and the file's encoding, or save it as UTF-8 CSV`,
        { encoding },
      );
  }
}
