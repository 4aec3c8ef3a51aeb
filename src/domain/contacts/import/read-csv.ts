// Streams the records of a delimited text file: bytes -> decoder -> csv-parse. Never holds the
// file in memory. A record csv-parse cannot read is yielded as an error, with its line, so the
// import can reject it and carry on; undecodable text stops the import.
import fs from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { DomainError } from '../../errors.ts';
import { printable } from '../../validation.ts';
import type { Delimiter } from './sniff.ts';
import type { ImportLimits } from './limits.ts';

export type RawRecord = { line: number; cells: string[] } | { line: number; error: string };

export type ByteCounter = { read: number; total: number };

const MAX_RECORD_BYTES = 1 << 20;

export async function* readCsv(
  path: string,
  options: { encoding: string; delimiter: Delimiter; bytes: ByteCounter; limits: ImportLimits },
): AsyncGenerator<RawRecord> {
  const stream = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
  options.bytes.total = (await fs.promises.stat(path)).size;
  stream.on('data', (chunk) => (options.bytes.read += chunk.length));

  const skipped: RawRecord[] = [];
  const parser = parse({
    delimiter: options.delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: Math.max(MAX_RECORD_BYTES, options.limits.maxCellBytes),
    on_skip: (error) => {
      const line = (error as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push({
        line,
        error: printable(`unreadable CSV record: ${error?.message ?? 'malformed'}`),
      });
      return undefined;
    },
  });
  const decoder = iconv.decodeStream(options.encoding);
  stream.on('error', (error) => parser.destroy(error));
  decoder.on('error', (error) => parser.destroy(error));
  stream.pipe(decoder).pipe(parser);

  const checkDecoding = options.encoding === 'utf-8';
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    if (checkDecoding && item.record.some((cell) => cell.includes('\uFFFD'))) {
      // U+FFFD means bytes that are not UTF-8: the sniffed encoding was wrong for this part.
      stream.destroy();
      throw new DomainError(
        'invalid',
        `line ${item.info.lines} is not valid UTF-8: the file is probably Windows-1252; import it again with --encoding windows-1252`,
      );
    }
    yield { line: item.info.lines, cells: item.record };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}
