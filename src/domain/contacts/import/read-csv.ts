// Streams the records of a delimited text file: bytes -> fatal decoder -> record splitter. Never
// holds the file in memory, nor more than one cell limit of any cell. A record that cannot be
// read (a cell or the row over its limit, an unclosed quote) is yielded as an error with its
// first line, so the import rejects that row and carries on with the next; bytes that are not
// valid in the encoding stop the import, naming the line.
import fs from 'node:fs';
import { DomainError } from '../../errors.ts';
import { chunkDecoder, UndecodableError } from './decode-text.ts';
import type { ImportLimits } from './limits.ts';
import { RecordSplitter, type SplitLimits } from './split-records.ts';
import type { Delimiter } from './sniff.ts';

export type RawRecord = { line: number; cells: string[] } | { line: number; error: string };

export type ByteCounter = { read: number; total: number };

/** A row may hold this many cells (a line of a million delimiters is not a row). */
export const MAX_CELLS_PER_ROW = 10_000;

/** The bounds of a record, from the import's limits: a row may hold four cells at the limit. */
export function splitLimits(limits: ImportLimits): SplitLimits {
  return {
    maxCellBytes: limits.maxCellBytes,
    maxRecordBytes: 4 * limits.maxCellBytes,
    maxCells: MAX_CELLS_PER_ROW,
  };
}

/** The refusal for bytes that do not decode at `line`; the sniffer uses it too. */
export function undecodableError(line: number, encoding: string, given: boolean): DomainError {
  if (encoding === 'utf-8' && !given)
    return DomainError.keyed(
      'invalid',
      'import.not_utf8',
      `line ${line} is not valid UTF-8: the file is probably Windows-1252; import it again with --encoding windows-1252`,
      { line },
    );
  return DomainError.keyed(
    'invalid',
    'import.undecodable',
    `line ${line} cannot be read as ${encoding}${given ? ', the encoding given' : ''}: import it again with --encoding and the file's encoding (utf-8, windows-1252...)`,
    { line, encoding },
  );
}

/** Line breaks in a text (CR, LF, CRLF): the line of its end is this plus one. */
export function countLineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

export async function* readCsv(
  path: string,
  options: {
    encoding: string;
    delimiter: Delimiter;
    bytes: ByteCounter;
    limits: ImportLimits;
    /** Whether the encoding was given (--encoding) rather than sniffed: it changes the advice. */
    encodingGiven?: boolean;
  },
): AsyncGenerator<RawRecord> {
  options.bytes.total = (await fs.promises.stat(path)).size;
  const stream = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
  const decoder = chunkDecoder(options.encoding);
  const splitter = new RecordSplitter(options.delimiter, splitLimits(options.limits));
  const decode = (step: () => string): string => {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof UndecodableError)) throw error;
      splitter.push(error.before);
      throw undecodableError(splitter.line, options.encoding, options.encodingGiven ?? false);
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      options.bytes.read += chunk.length;
      const text = decode(() => decoder.write(chunk));
      for (const record of splitter.push(text)) yield record;
    }
    const rest = decode(() => decoder.end());
    for (const record of splitter.push(rest)) yield record;
    for (const record of splitter.end()) yield record;
  } finally {
    stream.destroy();
  }
}
