// The embedded default as a user meets it: `npm start` on a data directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { orgInput } from '../factories.ts';
import { startServer, type ServerProcess } from '../processes.ts';

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

  it('prints a bootstrap token once at first start and serves /health', async () => {
    const server = await start();
    const match = /^\s+(iso_\S+)$/m.exec(server.stdout());
    expect(match, server.stdout()).not.toBeNull();
    token = match![1]!;
    const health = await get(server, '/health');
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    expect((await get(server, '/api/orgs')).status).toBe(401);
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
    const first = running[0]!;
    const second = start();
    await expect(second).rejects.toMatchObject({ code: 1 });
    const error = (await second.catch((e: { stderr: string }) => e)) as { stderr: string };
    expect(error.stderr).toMatch(
      /data directory .* is in use by another Isoloir process \(pid \d+\)/,
    );
    expect((await get(first, '/health')).status).toBe(200);
    expect((await get(first, '/api/orgs', token)).status).toBe(200);
  });

  it('closes the database cleanly on SIGTERM and keeps the data', async () => {
    const first = running[0]!;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'isoloir.lock'))).toBe(false);

    const again = await start();
    expect(again.stdout()).not.toMatch(/iso_/); // no second bootstrap token
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
