// Issue 13, item 4: an uploaded file waits in the private spool directory (services.imports.spoolDir,
// by default <data dir>/spool), never in the system's temporary directory; it is 0600 in a 0700
// directory, gone when the import or the preview ends however it ends, and swept at start when
// the process that wrote it died.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { ELECTORAL_HEADERS, ELECTORAL_ROW, tempDir, writeCsv } from '../../test/files.ts';
import { bearer, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, testDbKind, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';
import { prepareSpool, receiveUpload, SPOOL_MAX_AGE_MS, sweepSpool } from './upload.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let staff: Staff;
let sourceId: string;
const files = tempDir('isoloir-spool-test-');
const spoolDir = path.join(files.dir, 'data', 'spool');

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

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const spooled = () => (fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir) : []);

function multipart(content: Buffer | string, name = 'liste.csv'): Request {
  const body = new FormData();
  body.append(
    'file',
    new Blob([typeof content === 'string' ? content : new Uint8Array(content)]),
    name,
  );
  return new Request('http://x/upload', { method: 'POST', body });
}

describe(`the upload spool (${testDbKind})`, () => {
  it('writes an upload inside the spool directory (0700) as a 0600 file, nothing of it under the system temporary directory', async () => {
    const marker = `spool-marker-${process.pid}`;
    const tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
    const upload = await receiveUpload(multipart(`Nom;Prenom\n${marker};Zoé\n`), spoolDir);
    try {
      expect(path.dirname(upload.path)).toBe(spoolDir);
      expect(path.basename(upload.path)).toMatch(
        new RegExp(`^${process.pid}-[0-9a-f]{16}\\.upload$`),
      );
      expect(mode(spoolDir)).toBe(0o700);
      expect(mode(upload.path)).toBe(0o600);
      expect(fs.readFileSync(upload.path, 'utf8')).toContain(marker);
      const added = fs.readdirSync(os.tmpdir()).filter((n) => !tmpBefore.has(n));
      expect(added.filter((n) => n.startsWith('isoloir-upload-'))).toEqual([]);
    } finally {
      await upload.cleanup();
    }
    expect(spooled()).toEqual([]);
  });

  it('makes a spool directory that existed with a looser mode private again (0700)', async () => {
    const loose = path.join(files.dir, 'loose-spool');
    fs.mkdirSync(loose, { mode: 0o755 });
    fs.chmodSync(loose, 0o777);
    await prepareSpool(loose);
    expect(mode(loose)).toBe(0o700);
    const upload = await receiveUpload(multipart('a;b\n'), loose);
    expect(mode(upload.path)).toBe(0o600);
    await upload.cleanup();
  });

  it('refuses, naming ISOLOIR_SPOOL_DIR, a spool path that is not a directory', async () => {
    const notDir = files.file('not-a-dir');
    fs.writeFileSync(notDir, '');
    await expect(prepareSpool(notDir)).rejects.toThrow(/ISOLOIR_SPOOL_DIR.*private directory/);
  });

  it('leaves nothing in the spool when the client goes away mid-upload', async () => {
    const head = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="file"; filename="liste.csv"\r\n' +
        'Content-Type: text/csv\r\n\r\nNom;Prenom\nDUPONT;Marie\n',
    );
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(head);
        } else controller.error(new Error('the client went away'));
      },
    });
    const res = await app.request(`/api/sources/${sourceId}/imports`, {
      method: 'POST',
      headers: { ...bearer(staff), 'content-type': 'multipart/form-data; boundary=b' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(spooled()).toEqual([]);
  });

  it('leaves nothing in the spool when an import succeeds, when it fails, and after a preview', async () => {
    const good = fs.readFileSync(
      writeCsv(files.file('le.csv'), [ELECTORAL_HEADERS, ELECTORAL_ROW]),
    );
    const post = (p: string, content: Buffer) => {
      const body = new FormData();
      body.append(
        'file',
        new Blob([typeof content === 'string' ? content : new Uint8Array(content)]),
        'liste.csv',
      );
      return app.request(`/api/sources/${sourceId}${p}`, {
        method: 'POST',
        headers: bearer(staff),
        body,
      });
    };
    expect((await post('/imports', good)).status).toBe(201);
    expect(spooled()).toEqual([]);
    expect((await post('/imports', Buffer.from([0, 1, 2, 3, 0, 0, 9, 200]))).status).toBe(400);
    expect(spooled()).toEqual([]);
    expect((await post('/imports/preview', good)).status).toBe(200);
    expect(spooled()).toEqual([]);
  });

  it('sweeps at start the uploads of processes that no longer run, and those older than a day; keeps the files of live processes sharing the spool', async () => {
    const dir = path.join(files.dir, 'shared-spool');
    await prepareSpool(dir);
    // A process that ran and ended: its pid is free.
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(ended.stdout);
    const put = (name: string) => {
      fs.writeFileSync(path.join(dir, name), 'DUPONT;Marie\n', { mode: 0o600 });
      return name;
    };
    const dead = put(`${deadPid}-00112233445566aa.upload`);
    const mine = put(`${process.pid}-00112233445566bb.upload`);
    const parent = put(`${process.ppid}-00112233445566cc.upload`);
    const stale = put(`${process.ppid}-00112233445566dd.upload`);
    const old = new Date(Date.now() - SPOOL_MAX_AGE_MS - 60_000);
    fs.utimesSync(path.join(dir, stale), old, old);
    const other = put('README');

    expect(await sweepSpool(dir)).toEqual({ removed: 2 });
    expect(fs.readdirSync(dir).sort()).toEqual([mine, parent, other].sort());
    expect(fs.existsSync(path.join(dir, dead))).toBe(false);
  });
});
