// Issue 13: the text fields of an upload form are held in memory, so they are bounded: at most
// MAX_FIELDS fields (a column map sends one per column) of at most MAX_FIELD_BYTES each. A form
// beyond either is refused at once, even when sent chunked (no Content-Length for the body cap).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { bearer, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, testDbKind, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';
import { MAX_FIELD_BYTES, MAX_FIELDS } from './upload.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let staff: Staff;
let sourceId: string;
const files = tempDir('isoloir-upload-fields-test-');
const spoolDir = path.join(files.dir, 'spool');

beforeAll(async () => {
  s = await openTestServices();
  app = createApp({ ...s, imports: { ...s.imports, spoolDir } });
  const org = await makeOrg(s);
  staff = await makeStaff(s, org.id, 'manager', { tokenOrgId: null });
  const election = await makeElection(s, org.id);
  sourceId = (await makeSource(s, org.id, { type: 'electoral_list', electionId: election.id })).id;
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const BOUNDARY = 'isoloir-test-boundary';

/** A multipart body streamed in chunks (no Content-Length), as a chunked request sends it. */
function chunkedForm(fields: [string, string][], withFile = true): ReadableStream<Uint8Array> {
  const parts = fields.map(
    ([name, value]) =>
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  if (withFile)
    parts.push(
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="liste.csv"\r\ncontent-type: text/csv\r\n\r\nNom;Prenom\nMARTIN;Paul\n\r\n`,
    );
  parts.push(`--${BOUNDARY}--\r\n`);
  let i = 0;
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      if (i < parts.length) controller.enqueue(encoder.encode(parts[i++]));
      else controller.close();
    },
  });
}

async function preview(body: ReadableStream<Uint8Array>) {
  const res = await app.request(`/api/sources/${sourceId}/imports/preview`, {
    method: 'POST',
    headers: {
      ...bearer(staff),
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    },
    body,
    // @ts-expect-error -- Node's fetch needs it for a stream body
    duplex: 'half',
  });
  return { status: res.status, body: (await res.json()) as { error?: { key?: string } } };
}

const spooled = () => (fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir) : []);

describe(`the fields of an upload form are bounded (${testDbKind})`, () => {
  it('refuses a chunked form with more fields than the limit, keeping nothing of it', async () => {
    const many = Array.from(
      { length: MAX_FIELDS + 50 },
      (_, i) => [`map`, `col${i}=x`] as [string, string],
    );
    const r = await preview(chunkedForm(many));
    expect(r.status).toBe(400);
    expect(r.body.error?.key).toBe('upload.too_many_fields');
    expect(spooled()).toEqual([]);
  });

  it('refuses a chunked form with a field larger than the limit', async () => {
    const r = await preview(chunkedForm([['map', 'x'.repeat(MAX_FIELD_BYTES + 1)]]));
    expect(r.status).toBe(400);
    expect(r.body.error?.key).toBe('upload.field_too_large');
    expect(spooled()).toEqual([]);
  });

  it('accepts a form with one map field per column up to the limit', async () => {
    const some = Array.from({ length: 150 }, (_, i) => [`other${i}`, 'v'] as [string, string]);
    const r = await preview(chunkedForm(some));
    expect(r.body.error?.key ?? 'none').not.toMatch(/^upload\./);
  });
});
