// Issue 13, acceptance (item 1), as an operator meets it: the hostile XLSX (a few MB whose shared
// strings inflate past 1 GB) given to `isoloir import`, and to the running server's import
// preview. Each fails within seconds with the limit named, the process's peak RSS (measured
// from outside the reader: the child's own rusage, or /proc's high-water mark for the server)
// stays under 600 MB, and the server still answers /health afterwards.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../files.ts';
import { writeSharedStringsBomb } from '../hostile-xlsx.ts';
import { repoRoot, runBin, startServer, type ServerProcess } from '../processes.ts';
import { createPostgresDatabase, testDbKind } from '../test-db.ts';

const files = tempDir('isoloir-xlsx-bomb-e2e-');
const bomb = files.file('liste.xlsx');
const MB = 1024 ** 2;
let env: NodeJS.ProcessEnv;
let dropDatabase: (() => Promise<void>) | undefined;
let sourceId: string;
let token: string;
const servers: ServerProcess[] = [];

/** Writes the child's peak RSS (bytes) to $XLSX_BOMB_RSS_FILE when it exits, however it exits. */
const REPORT_RSS =
  'data:text/javascript,import fs from "node:fs";process.on("exit",()=>fs.writeFileSync(process.env.XLSX_BOMB_RSS_FILE,String(process.resourceUsage().maxRSS*1024)))';

/** Runs the bin and reports its exit code, output, wall time and peak RSS. */
function measuredBin(args: string[]) {
  const rssFile = files.file(`rss-${randomBytes(4).toString('hex')}`);
  return new Promise<{ code: number | null; stderr: string; ms: number; rss: number }>(
    (resolve) => {
      const started = Date.now();
      const child = spawn(
        process.execPath,
        ['--import', REPORT_RSS, path.join(repoRoot, 'bin/isoloir.js'), ...args],
        {
          cwd: repoRoot,
          env: { PATH: process.env.PATH, ...env, XLSX_BOMB_RSS_FILE: rssFile },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) =>
        resolve({
          code,
          stderr,
          ms: Date.now() - started,
          rss: Number(fs.readFileSync(rssFile, 'utf8')),
        }),
      );
    },
  );
}

async function json(...args: string[]): Promise<Record<string, string>> {
  const r = await runBin([...args, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, string>;
}

beforeAll(async () => {
  if (testDbKind === 'postgres') {
    const database = await createPostgresDatabase();
    env = { DATABASE_URL: database.url, ISOLOIR_MASTER_KEY: randomBytes(32).toString('hex') };
    dropDatabase = database.drop;
  } else {
    env = { ISOLOIR_DATA_DIR: path.join(files.dir, 'data') };
  }
  writeSharedStringsBomb(bomb, 1.1 * 1024 ** 3);
  const migrated = await runBin(['migrate'], env);
  expect(migrated.code, migrated.stderr).toBe(0);
  // prettier-ignore
  const org = await json('org', 'create', '--name', 'P', '--jurisdiction', 'FR', '--address', 'A', '--email', 'a@b.fr', '--dpo-email', 'd@b.fr');
  // prettier-ignore
  sourceId = (await json('source', 'create', '--org', org.id!, '--type', 'supporter_signup', '--label', 'Sympathisants')).id!;
  // prettier-ignore
  await json('user', 'create', '--email', 'camille@liste.example', '--name', 'Camille', '--org', org.id!, '--role', 'manager');
  // prettier-ignore
  token = (await json('token', 'create', '--user', 'camille@liste.example', '--org', org.id!, '--all-scopes')).token!;
}, 300_000);

afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await dropDatabase?.();
  files.remove();
});

const LIMIT_NAMED =
  /the XLSX file's part xl\/sharedStrings\.xml inflates past 150 MiB \(ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES\)/;

describe(`the hostile XLSX of issue 13 on ${testDbKind}`, () => {
  it('makes `isoloir import` exit 2 within seconds naming the limit, under 600 MB of peak RSS', async () => {
    expect(fs.statSync(bomb).size).toBeLessThan(8 * MB);
    // What starting the command and opening the database cost on this machine, for the bound.
    const idle = await measuredBin(['org', 'list', '--json']);
    const res = await measuredBin(['import', bomb, '--source', sourceId]);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(LIMIT_NAMED);
    expect(res.ms).toBeLessThan(idle.ms + 20_000);
    expect(
      res.rss,
      `peak RSS ${Math.round(res.rss / MB)} MB (idle ${Math.round(idle.rss / MB)} MB)`,
    ).toBeLessThan(600 * MB);
  }, 180_000);

  it('makes the server’s import preview answer 400 naming the limit, under 600 MB, and /health still answers', async () => {
    const server = await startServer(env);
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;
    const body = new FormData();
    body.append('file', new Blob([fs.readFileSync(bomb)]), 'liste.xlsx');
    const started = Date.now();
    const res = await fetch(`${base}/api/sources/${sourceId}/imports/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      LIMIT_NAMED,
    );
    expect(elapsed).toBeLessThan(20_000);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    // The server's peak RSS since it started (Linux's high-water mark).
    const status = fs.readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]);
    expect(peakKb * 1024, `server peak RSS ${Math.round(peakKb / 1024)} MB`).toBeLessThan(600 * MB);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 180_000);
});
