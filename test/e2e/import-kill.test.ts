// Issue 13, item 4 (acceptance): nothing personal outlives a crash. A server killed (SIGKILL)
// during an HTTP import leaves its upload only in the private spool inside the data directory
// (0600, nothing under the system's temporary directory); the next start sweeps the spool and
// marks the import failed with the reason, instead of `running` forever.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeElectoralList } from '../../bench/synthetic-electoral-list.ts';
import { tempDir } from '../files.ts';
import { runBin, startServer, type ServerProcess } from '../processes.ts';
import { createPostgresDatabase, testDbKind } from '../test-db.ts';
import { INTERRUPTED_REASON } from '../../src/domain/contacts/import/abandoned-imports.ts';

const files = tempDir('isoloir-import-kill-');
const dataDir = path.join(files.dir, 'data');
const spoolDir = path.join(dataDir, 'spool');
let env: NodeJS.ProcessEnv;
let dropDatabase: (() => Promise<void>) | undefined;
let sourceId: string;
let token: string;
const running: ServerProcess[] = [];
const ROWS = 60_000;

beforeAll(async () => {
  env = { ISOLOIR_DATA_DIR: dataDir };
  if (testDbKind === 'postgres') {
    const database = await createPostgresDatabase();
    env = {
      ...env,
      DATABASE_URL: database.url,
      ISOLOIR_MASTER_KEY: randomBytes(32).toString('hex'),
    };
    dropDatabase = database.drop;
  }
  await writeElectoralList(files.file('liste.csv'), ROWS);
  const json = async (...args: string[]) => {
    const r = await runBin([...args, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, any>;
  };
  expect((await runBin(['migrate'], env)).code).toBe(0);
  // prettier-ignore
  const orgId = (await json('org', 'create', '--name', 'P', '--jurisdiction', 'FR', '--address', 'A', '--email', 'a@b.fr', '--dpo-email', 'd@b.fr')).id;
  // prettier-ignore
  const election = await json('election', 'create', '--org', orgId, '--name', 'M', '--round1', '2026-03-15');
  // prettier-ignore
  sourceId = (await json('source', 'create', '--org', orgId, '--type', 'electoral_list', '--label', 'LE', '--election', election.id)).id;
  await json(
    'user',
    'create',
    '--email',
    'm@staff.example',
    '--name',
    'M',
    '--org',
    orgId,
    '--role',
    'manager',
  );
  token = (await json('token', 'create', '--user', 'm@staff.example', '--all-scopes')).token;
}, 300_000);

afterAll(async () => {
  for (const server of running) server.child.kill('SIGKILL');
  await dropDatabase?.();
  files.remove();
});

/** POSTs the file as a streamed multipart upload; the answer never comes (the server is killed). */
function streamUpload(port: number, file: string): void {
  const boundary = `----isoloir${randomBytes(8).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="liste Dupont Marie.csv"\r\n` +
    'Content-Type: text/csv\r\n\r\n';
  const body = Readable.from(
    (async function* () {
      yield Buffer.from(head);
      yield* fs.createReadStream(file);
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    })(),
  );
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/api/sources/${sourceId}/imports`,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
  request.on('error', () => {}); // the server is killed mid-request
  body.pipe(request);
}

/**
 * Resolves once the server reads the spooled upload for the import: it has the spool file open
 * read-only (Linux /proc), which it does only after the import's row was written `running`.
 */
async function importReading(pid: number): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    const fdDir = `/proc/${pid}/fd`;
    for (const fd of fs.readdirSync(fdDir)) {
      const target = fs.readlinkSync(path.join(fdDir, fd), { encoding: 'utf8' });
      if (!target.startsWith(spoolDir + path.sep)) continue;
      const info = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
      const flags = parseInt(/flags:\s*(\d+)/.exec(info)![1]!, 8);
      const pos = Number(/pos:\s*(\d+)/.exec(info)![1]);
      if ((flags & 0o3) === 0 && pos > 0) return target; // O_RDONLY, rows being read
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the import never started reading its upload');
}

describe(`a server killed during an HTTP import, on ${testDbKind}`, () => {
  it('keeps the upload only in the data directory spool (0600), then at restart sweeps it and marks the import failed, interrupted', async () => {
    const tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
    const server = await startServer(env);
    running.push(server);
    streamUpload(server.port, files.file('liste.csv'));
    const spooled = await importReading(server.child.pid!);

    let importId: string | undefined;
    if (testDbKind === 'postgres') {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      const r = await client.query("select id from imports where status = 'running'");
      await client.end();
      expect(r.rows).toHaveLength(1);
      importId = r.rows[0].id;
    }

    server.child.kill('SIGKILL');
    expect(await server.exited).toBeNull();

    // What the kill left: the upload, whole, in the private spool of the data directory only.
    expect(path.dirname(spooled)).toBe(spoolDir);
    expect(fs.statSync(spoolDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(spooled).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(spooled).subarray(0, 14).toString()).toBe('NomdeNaissance');
    const added = fs.readdirSync(os.tmpdir()).filter((n) => !tmpBefore.has(n));
    expect(added.filter((n) => /isoloir-upload/.test(n))).toEqual([]);

    if (testDbKind === 'postgres') {
      // Another server may be running this import: only a stale beat says its process is dead.
      // Two minutes pass (the beat is set back instead of waiting).
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(
        "update imports set heartbeat_at = now() - interval '3 minutes' where id = $1",
        [importId],
      );
      await client.end();
    }

    const restarted = await startServer(env);
    running.push(restarted);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    if (!importId) {
      // The start-up says which imports it marked failed (ids only).
      const line = restarted
        .stderr()
        .split('\n')
        .find((l) => l.includes('imports interrupted by a stop were marked failed'));
      expect(line).toBeDefined();
      const ids = (JSON.parse(line!) as { imports: string[] }).imports;
      expect(ids).toHaveLength(1);
      importId = ids[0];
    }
    const res = await fetch(`http://127.0.0.1:${restarted.port}/api/imports/${importId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const record = (await res.json()) as Record<string, any>;
    expect(record).toMatchObject({
      status: 'failed',
      error: INTERRUPTED_REASON,
      fileName: 'liste Dupont Marie.csv',
      summary: { status: 'failed', read: 0, imported: 0 },
    });
    // Nothing personal in what the server logged either.
    expect(restarted.stderr() + server.stderr()).not.toMatch(/Dupont/);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  }, 300_000);
});
