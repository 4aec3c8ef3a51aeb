// Random access to the parts of a zip archive (yauzl reads the central directory), each part
// inflated as a stream and counted as it inflates: a part is refused as soon as its inflated
// bytes pass the limit, or the size its headers declare (headers can lie), or when the size it
// declares is already over. Nothing is inflated that is not asked for.
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { DomainError } from '../../../errors.ts';
import { damaged, entryTooLarge } from './refusals.ts';

/** More parts than any workbook has: the central directory itself is not read past this. */
const MAX_ENTRIES = 100_000;

/** Only these parts are ever looked at; the others are not even kept in the listing. */
const KEPT =
  /^(xl\/|_rels\/|\[content_types\]\.xml$|word\/document\.xml$|ppt\/presentation\.xml$|mimetype$|content\.xml$)/;

export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  /**
   * A file's path, or its bytes (campaign attachments, held in memory). `keep`: the parts listed
   * (default: only those a workbook or document reader looks at).
   */
  static async open(source: string | Buffer, options: { keep?: RegExp } = {}): Promise<ZipArchive> {
    const keep = options.keep ?? KEPT;
    let zip: yauzl.ZipFile;
    try {
      const settings = {
        lazyEntries: true,
        autoClose: false,
        validateEntrySizes: false, // counted here, with the limit named
        strictFileNames: false,
      };
      zip =
        typeof source === 'string'
          ? await yauzl.openPromise(source, settings)
          : await yauzl.fromBufferPromise(source, settings);
    } catch (error) {
      throw damaged((error as Error).message);
    }
    try {
      if (zip.entryCount > MAX_ENTRIES)
        throw damaged(`the archive lists ${zip.entryCount} parts, more than any workbook has`);
      const entries = new Map<string, yauzl.Entry>();
      for await (const entry of zip.eachEntry()) {
        const name = entry.fileName.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
        if (!keep.test(name) || name.endsWith('/')) continue;
        // Two parts of one name: which one a reader takes is a way to hide content.
        if (entries.has(name)) throw damaged('the archive holds two parts of the same name');
        entries.set(name, entry);
      }
      return new ZipArchive(zip, entries);
    } catch (error) {
      zip.close();
      if (error instanceof DomainError) throw error;
      throw damaged((error as Error).message);
    }
  }

  /** Part names are case-insensitive (OPC). */
  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** The listed parts' names (lower-cased), with the size each declares. */
  parts(): { name: string; declaredSize: number }[] {
    return [...this.entries].map(([name, e]) => ({ name, declaredSize: e.uncompressedSize }));
  }

  /** The part's bytes, inflated chunk by chunk; `onRead` gets the compressed bytes consumed. */
  async *read(
    name: string,
    options: {
      maxBytes: number;
      onRead?: (compressed: number) => void;
      /** The refusal past maxBytes (default: entryTooLarge, naming the setting). */
      tooLarge?: (name: string, maxBytes: number) => DomainError;
    },
  ): AsyncGenerator<Buffer> {
    const tooLarge = options.tooLarge ?? entryTooLarge;
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) throw damaged(`the part ${name} is missing`);
    if (entry.uncompressedSize > options.maxBytes) throw tooLarge(name, options.maxBytes);
    if (entry.isEncrypted()) throw damaged(`the part ${name} is encrypted`);
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
      throw damaged(`the part ${name} uses compression method ${entry.compressionMethod}`);

    let raw: Readable;
    try {
      raw = await this.zip.openReadStreamPromise(entry, { decodeFileData: false });
    } catch (error) {
      throw damaged((error as Error).message);
    }
    if (options.onRead) raw.on('data', (chunk: Buffer) => options.onRead!(chunk.length));
    const source: Readable =
      entry.compressionMethod === 8
        ? pipeline(raw, zlib.createInflateRaw({ chunkSize: 64 * 1024 }), () => {})
        : raw;
    let inflated = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > options.maxBytes) throw tooLarge(name, options.maxBytes);
        if (inflated > entry.uncompressedSize)
          throw damaged(`the part ${name} inflates past the size its zip header declares`);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw damaged(`the part ${name}: ${(error as Error).message}`);
    } finally {
      raw.destroy();
      source.destroy();
    }
    if (inflated !== entry.uncompressedSize)
      throw damaged(`the part ${name} is shorter than its zip header declares`);
  }

  close(): void {
    this.zip.close();
  }
}
