// The embedded default as a user meets it: `npm start` on a data directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { orgInput } from '../factories.ts';
import { runBin, startServer, type ServerProcess } from '../processes.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-server-'));
const env = { ISOLOIR_DATA_DIR: dataDir };
const running: ServerProcess[] = [];

afterAll(async () => {
  for (const server of running) server.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const server = await startServer(env);
  running.push(server);
  return server;
}

const get = (server: ServerProcess, p: string, token?: string) =>
  fetch(`http://127.0.0.1:${server.port}${p}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('the server on the embedded database', () => {
  let token: string;

  it('serves /health at first start and says how to make the first administrator (no token in the log)', async () => {
    const server = await start();
    expect(server.stdout()).toMatch(/No staff account yet/);
    expect(server.stdout()).toMatch(/user create --admin/);
    expect(server.stdout()).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\/ in a browser/);
    expect(server.stdout()).not.toMatch(/iso_/);
    const health = await get(server, '/health');
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    expect((await get(server, '/api/orgs')).status).toBe(401);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('makes the first administrator from the machine, once, then serves the API to their token', async () => {
    const admin = await runBin(
      ['user', 'create', '--admin', '--email', 'admin@staff.example', '--name', 'Admin', '--json'],
      env,
    );
    expect(admin.code, admin.stderr).toBe(0);
    expect(JSON.parse(admin.stdout).initialPassword).toMatch(/^\S{20,}$/);
    const again = await runBin(
      ['user', 'create', '--admin', '--email', 'other@staff.example', '--name', 'Other'],
      env,
    );
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/administrator already exists/);
    const made = await runBin(
      ['token', 'create', '--user', 'admin@staff.example', '--all-scopes', '--json'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    token = JSON.parse(made.stdout).token;

    const server = await start();
    expect(server.stdout()).not.toMatch(/No staff account yet/);
    const created = await fetch(`http://127.0.0.1:${server.port}/api/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(orgInput({ legalName: 'Persisted Org' })),
    });
    expect(created.status).toBe(201);
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    // The token is never written to the log.
    expect(server.stderr()).not.toContain(token);
  });

  it('refuses a second server on the same data directory; the first keeps serving', async () => {
    const first = running.at(-1)!;
    const second = start();
    // Exit 6, as the CLI: the environment (here the data directory) is the problem.
    await expect(second).rejects.toMatchObject({ code: 6 });
    const error = (await second.catch((e: { stderr: string }) => e)) as { stderr: string };
    expect(error.stderr).toMatch(
      /data directory .* is in use by another Isoloir process \(pid \d+\)/,
    );
    expect((await get(first, '/health')).status).toBe(200);
    expect((await get(first, '/api/orgs', token)).status).toBe(200);
  });

  it('closes the database cleanly on SIGTERM and keeps the data', async () => {
    const first = running.at(-1)!;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'isoloir.lock'))).toBe(false);

    const again = await start();
    const orgs = (await (await get(again, '/api/orgs', token)).json()) as {
      items: { legalName: string }[];
    };
    expect(orgs.items.map((o) => o.legalName)).toEqual(['Persisted Org']);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('starts again after a crash (SIGKILL leaves a stale lock)', async () => {
    const server = await start();
    server.child.kill('SIGKILL');
    await server.exited;
    expect(fs.existsSync(path.join(dataDir, 'isoloir.lock'))).toBe(true);
    const after = await start();
    expect((await get(after, '/api/orgs', token)).status).toBe(200);
    after.child.kill('SIGTERM');
    expect(await after.exited).toBe(0);
  });
});
