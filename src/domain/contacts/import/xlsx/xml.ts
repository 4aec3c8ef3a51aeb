// Streams one XML part of the archive through saxes (a conformant, non-validating parser that
// expands no DTD entities), calling the handlers with local names (prefixes dropped). Bounded:
// a DOCTYPE is refused, nesting is capped, and text or markup that runs on without a tag for
// more than `maxPendingChars` (saxes holds it until the next tag) is refused.
import { SaxesParser } from 'saxes';
import { DomainError } from '../../../errors.ts';
import { damaged } from './refusals.ts';

export type XmlHandlers = {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
};

/** Characters handed to the parser at a time; the caller may act between slices. */
const SLICE_CHARS = 16 * 1024;
/** SpreadsheetML nests a few levels deep; far deeper is an attack on the parser's stack. */
const MAX_DEPTH = 64;

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Whether the part starts with a UTF-16 byte-order mark (SpreadsheetML is UTF-8 otherwise). */
function decoderFor(first: Buffer): TextDecoder {
  if (first[0] === 0xff && first[1] === 0xfe) return new TextDecoder('utf-16le');
  if (first[0] === 0xfe && first[1] === 0xff) return new TextDecoder('utf-16be');
  return new TextDecoder('utf-8');
}

/**
 * Parses the part, yielding after each slice so that the caller can hand on what the handlers
 * gathered. Stops early once `done()` is true.
 */
export async function* parseXml(
  part: string,
  chunks: AsyncIterable<Buffer>,
  handlers: XmlHandlers,
  options: { maxPendingChars: number; tooMuchText: () => DomainError; done?: () => boolean },
): AsyncGenerator<void> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let depth = 0;
  let event = false;
  parser.on('opentag', (tag) => {
    event = true;
    if (++depth > MAX_DEPTH) throw damaged(`the part ${part} nests deeper than ${MAX_DEPTH}`);
    handlers.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on('closetag', (tag) => {
    event = true;
    depth--;
    handlers.close(localName(tag.name));
  });
  parser.on('text', (text) => {
    event = true;
    handlers.text(text);
  });
  parser.on('cdata', (text) => {
    event = true;
    handlers.text(text);
  });
  parser.on('doctype', () => {
    throw damaged(`the part ${part} declares a DOCTYPE`);
  });
  let decoder: TextDecoder | undefined;
  let pending = 0;
  try {
    for await (const chunk of chunks) {
      decoder ??= decoderFor(chunk);
      const text = decoder.decode(chunk, { stream: true });
      for (let at = 0; at < text.length; at += SLICE_CHARS) {
        event = false;
        parser.write(text.slice(at, at + SLICE_CHARS));
        pending = event ? 0 : pending + Math.min(SLICE_CHARS, text.length - at);
        if (pending > options.maxPendingChars) throw options.tooMuchText();
        yield;
        if (options.done?.()) return;
      }
    }
    const rest = decoder?.decode() ?? '';
    if (rest !== '') parser.write(rest);
    parser.close();
    yield;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw damaged(`the part ${part}: ${(error as Error).message}`);
  }
}

/** Parses a small part to its end. */
export async function parseWholeXml(
  part: string,
  chunks: AsyncIterable<Buffer>,
  handlers: XmlHandlers,
  options: { maxPendingChars: number; tooMuchText: () => DomainError },
): Promise<void> {
  for await (const _ of parseXml(part, chunks, handlers, options)) void _;
}
