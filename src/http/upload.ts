// Streams a multipart upload to a private file in the spool directory (never holding it in
// memory), with the form's text fields. The caller deletes the file when done (cleanup()).
//
// The spool (services.imports.spoolDir: ISOLOIR_SPOOL_DIR, by default <data dir>/spool) is a
// directory of mode 0700, its files 0600. Several server processes of one machine may share it
// (PostgreSQL mode): each file is named `<pid>-<random>.upload` after the process that wrote it,
// and the sweep at start removes the files of processes that no longer run (a kill or a crash
// leaves its upload behind), and any upload older than SPOOL_MAX_AGE_MS (a pid reused since).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ConfigError } from '../config.ts';
import { DomainError } from '../domain/errors.ts';

export type Upload = {
  path: string;
  fileName: string;
  fields: Record<string, string[]>;
  cleanup(): Promise<void>;
};

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/**
 * The form's text fields are held in memory: at most this many (a column map sends one `map`
 * field per column), each at most MAX_FIELD_BYTES, in at most MAX_PARTS parts with the file.
 * A form beyond any of them is refused, not cut short.
 */
export const MAX_FIELDS = 200;
export const MAX_FIELD_BYTES = 8 * 1024;
export const MAX_PARTS = 210;

/** No import lasts this long: an upload this old is swept even if its pid runs (reused). */
export const SPOOL_MAX_AGE_MS = 24 * 3600 * 1000;

const SPOOL_FILE = /^(\d+)-[0-9a-f]{16}\.upload$/;

/**
 * Creates the spool directory (0700), or makes an existing one private again (chmod 0700 when
 * it was group- or world-accessible). Refuses, naming ISOLOIR_SPOOL_DIR, what cannot be made so.
 */
export async function prepareSpool(dir: string): Promise<void> {
  try {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    const stat = await fs.promises.stat(dir);
    if (!stat.isDirectory()) throw new Error('not a directory');
    if ((stat.mode & 0o777) !== 0o700) await fs.promises.chmod(dir, 0o700);
  } catch (error) {
    throw new ConfigError(
      `ISOLOIR_SPOOL_DIR: the upload spool ${dir} cannot be made a private directory (mode 0700): ${(error as Error).message}`,
    );
  }
}

/** Whether the process `pid` runs (on this machine, in this pid namespace). */
function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the uploads left by processes that stopped (and any older than SPOOL_MAX_AGE_MS);
 * leaves the files of live processes alone, and anything not named like an upload.
 */
export async function sweepSpool(dir: string, now = Date.now()): Promise<{ removed: number }> {
  await prepareSpool(dir);
  let removed = 0;
  for (const name of await fs.promises.readdir(dir)) {
    const match = SPOOL_FILE.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat) continue;
    if (running(Number(match[1])) && now - stat.mtimeMs < SPOOL_MAX_AGE_MS) continue;
    await fs.promises.rm(file, { force: true });
    removed++;
  }
  return { removed };
}

export async function receiveUpload(
  request: Request,
  spoolDir: string,
  fileField = 'file',
): Promise<Upload> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data') || !request.body) {
    throw DomainError.keyed(
      'invalid',
      'upload.not_multipart',
      `send the file as multipart/form-data in a field named "${fileField}"`,
      { field: fileField },
    );
  }
  await prepareSpool(spoolDir);
  const target = path.join(spoolDir, `${process.pid}-${randomBytes(8).toString('hex')}.upload`);
  const cleanup = () => fs.promises.rm(target, { force: true });
  const fields: Record<string, string[]> = {};
  let fileName: string | undefined;
  let writing: Promise<void> | undefined;
  let truncated = false;
  let refused: DomainError | undefined;
  try {
    const parser = busboy({
      headers: { 'content-type': type },
      // Browsers send UTF-8 file names ("liste électorale.csv").
      defParamCharset: 'utf8',
      limits: {
        files: 1,
        fileSize: MAX_UPLOAD_BYTES,
        fields: MAX_FIELDS,
        fieldSize: MAX_FIELD_BYTES,
        parts: MAX_PARTS,
      },
    });
    // Stops reading the form at once: nothing more of it is parsed or kept.
    const refuse = (error: DomainError) => {
      refused ??= error;
      // Not from inside busboy's own write (its pipeline would never settle): once it returns.
      setImmediate(() => parser.destroy(error));
    };
    const tooManyFields = () =>
      refuse(
        DomainError.keyed(
          'invalid',
          'upload.too_many_fields',
          `the form has more than ${MAX_FIELDS} fields`,
          { limit: String(MAX_FIELDS) },
        ),
      );
    parser.on('fieldsLimit', tooManyFields);
    parser.on('partsLimit', tooManyFields);
    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated)
        return refuse(
          DomainError.keyed(
            'invalid',
            'upload.field_too_large',
            `a form field is larger than ${MAX_FIELD_BYTES / 1024} KiB`,
            { limit: `${MAX_FIELD_BYTES / 1024} KiB` },
          ),
        );
      (fields[name] ??= []).push(value);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== fileField) return void stream.resume();
      fileName = info.filename;
      stream.on('limit', () => (truncated = true));
      // 'wx': a new file, never one put there by someone else; 0600 whatever the umask adds.
      writing = pipeline(stream, fs.createWriteStream(target, { mode: 0o600, flags: 'wx' }));
      // Awaited below; a failure while the form is still being read is not left unhandled.
      writing.catch(() => {});
    });
    await pipeline(
      Readable.fromWeb(request.body as import('node:stream/web').ReadableStream),
      parser,
    );
    await writing;
    if (refused) throw refused;
  } catch (error) {
    // The client went away mid-upload, or the form is malformed: nothing of it stays.
    await writing?.catch(() => {});
    await cleanup();
    if (refused) throw refused;
    throw DomainError.keyed(
      'invalid',
      'upload.unreadable',
      `the upload could not be read: ${(error as Error).message}`,
    );
  }
  if (truncated) {
    await cleanup();
    throw DomainError.keyed(
      'invalid',
      'upload.too_large',
      `the file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB`,
      { limit: `${MAX_UPLOAD_BYTES / 1024 ** 3} GiB` },
    );
  }
  if (!fileName) {
    await cleanup();
    throw DomainError.keyed(
      'invalid',
      'upload.no_file',
      `the form has no file field named "${fileField}"`,
      { field: fileField },
    );
  }
  return { path: target, fileName, fields, cleanup };
}
