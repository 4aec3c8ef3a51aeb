// Streams a multipart upload to a private temporary file (never holding it in memory), with the
// form's text fields. The caller deletes the file when done.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { DomainError } from '../domain/errors.ts';

export type Upload = {
  path: string;
  fileName: string;
  fields: Record<string, string[]>;
  cleanup(): Promise<void>;
};

const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export async function receiveUpload(request: Request, fileField = 'file'): Promise<Upload> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data') || !request.body) {
    throw new DomainError(
      'invalid',
      `send the file as multipart/form-data in a field named "${fileField}"`,
    );
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'isoloir-upload-'));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  const target = path.join(dir, 'upload');
  const fields: Record<string, string[]> = {};
  let fileName: string | undefined;
  let writing: Promise<void> | undefined;
  let truncated = false;
  try {
    const parser = busboy({
      headers: { 'content-type': type },
      // Browsers send UTF-8 file names ("liste électorale.csv").
      defParamCharset: 'utf8',
      limits: { files: 1, fileSize: MAX_UPLOAD_BYTES },
    });
    parser.on('field', (name, value) => (fields[name] ??= []).push(value));
    parser.on('file', (name, stream, info) => {
      if (name !== fileField) return void stream.resume();
      fileName = info.filename;
      stream.on('limit', () => (truncated = true));
      writing = pipeline(stream, fs.createWriteStream(target, { mode: 0o600 }));
    });
    await pipeline(
      Readable.fromWeb(request.body as import('node:stream/web').ReadableStream),
      parser,
    );
    await writing;
  } catch (error) {
    await cleanup();
    throw new DomainError('invalid', `the upload could not be read: ${(error as Error).message}`);
  }
  if (truncated) {
    await cleanup();
    throw new DomainError('invalid', `the file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB`);
  }
  if (!fileName) {
    await cleanup();
    throw new DomainError('invalid', `the form has no file field named "${fileField}"`);
  }
  return { path: target, fileName, fields, cleanup };
}
