// Bytes -> text for delimited files, chunk by chunk, refusing bytes that are not valid in the
// encoding (a fatal decoder) rather than turning them into U+FFFD: a file that really holds
// U+FFFD (EF BF BD in UTF-8) reads as it is, and a wrong encoding is caught by its bytes.
import iconv from 'iconv-lite';

/** Bytes that the encoding cannot decode; `before` is the text decoded up to them. */
export class UndecodableError extends Error {
  readonly before: string;
  constructor(before: string) {
    super('bytes that are not valid in the encoding');
    this.name = 'UndecodableError';
    this.before = before;
  }
}

export type ChunkDecoder = {
  /** The text of the bytes so far (a character cut at the end waits for the next chunk). */
  write(bytes: Uint8Array): string;
  /** The rest: throws if the file ends inside a character. */
  end(): string;
};

/** Length of the longest prefix of `bytes` that is valid UTF-8 (a cut last character counts as invalid). */
export function validUtf8Length(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f;
    } else {
      return i;
    }
    if (i + need >= n) return i;
    const second = bytes[i + 1]!;
    if (second < min || second > max) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return i;
}

/** Where a character cut by the end of `bytes` starts (bytes.length when none is cut). */
function utf8CutPoint(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return n; // ASCII: nothing cut
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? n - back : n;
    }
  }
  return n;
}

function utf8Decoder(): ChunkDecoder {
  // ignoreBOM keeps a BOM in the text: one is removed at the start of the file only.
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Uint8Array = new Uint8Array(0);
  let atStart = true;
  const decode = (bytes: Uint8Array): string => {
    let text: string;
    try {
      text = fatal.decode(bytes);
    } catch {
      const valid = validUtf8Length(bytes);
      text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, valid));
      throw new UndecodableError(atStart && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    }
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
  return {
    write(chunk) {
      const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      const cut = utf8CutPoint(bytes);
      pending = Uint8Array.from(bytes.subarray(cut));
      return decode(bytes.subarray(0, cut));
    },
    end() {
      const rest = pending;
      pending = new Uint8Array(0);
      return rest.length > 0 ? decode(rest) : '';
    },
  };
}

/**
 * A decoder for `encoding` (a name checkEncoding accepted). WHATWG encodings decode fatally;
 * the few that only iconv-lite knows decode as iconv-lite does.
 */
export function chunkDecoder(encoding: string): ChunkDecoder {
  if (encoding === 'utf-8' || encoding === 'utf8') return utf8Decoder();
  let decoder: TextDecoder | undefined;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    decoder = undefined;
  }
  if (decoder) {
    const d = decoder;
    return {
      write(chunk) {
        try {
          return d.decode(chunk, { stream: true });
        } catch {
          throw new UndecodableError('');
        }
      },
      end() {
        try {
          return d.decode();
        } catch {
          throw new UndecodableError('');
        }
      },
    };
  }
  const iconvDecoder = iconv.getDecoder(encoding);
  return {
    write: (chunk) => iconvDecoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)),
    end: () => iconvDecoder.end() ?? '',
  };
}
