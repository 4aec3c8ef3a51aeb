// At start the server waits for PostgreSQL (ISOLOIR_DB_WAIT_SECONDS) rather than exiting at the
// first refusal: PostgreSQL starting beside it, a restart, a failover. It says once that it waits
// (never the URL, which may hold a password), starts as soon as PostgreSQL answers, gives up with
// exit 6 and how long it waited, and a SIGTERM ends the wait at once.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runServerToExit } from '../processes.ts';
import { openTestServices, type TestServices } from '../test-db.ts';

let s: TestServices;
let keys: NodeJS.ProcessEnv;
beforeAll(async () => {
  s = await openTestServices();
  const hex = (k: TestServices['config']['masterKey']) =>
    k.kind === 'env' ? k.key.toString('hex') : '';
  keys = {
    ISOLOIR_MASTER_KEY: hex(s.config.masterKey),
    ISOLOIR_AUDIT_KEY: hex(s.config.auditKey!),
  };
});
afterAll(() => s.dispose());

/** A loopback port nothing listens on (taken from the system, then freed). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The server, spawned; `until` resolves once its stderr matches (a generous time-out fails). */
function spawnServer(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/server.js')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, PORT: '0', ISOLOIR_LOG_LEVEL: 'info', ...keys, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const until = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(stderr);
        if (m) resolve(m);
      };
      waiters.push(check);
      check();
      void exited.then((code) => reject(new Error(`server exited ${code}: ${stderr}`)));
    });
  return { child, exited, until, stderr: () => stderr };
}

const PASSWORD = 'pw-never-printed';
const WAITING = /PostgreSQL cannot be reached yet; waiting up to (\d+) s/;

describe('the server waiting for PostgreSQL at start', () => {
  it('does not exit at the first refusal: it waits ISOLOIR_DB_WAIT_SECONDS, then exits 6 saying so', async () => {
    const port = await freePort();
    const { code, stderr } = await runServerToExit(
      {
        ...keys,
        DATABASE_URL: `postgres://isoloir:${PASSWORD}@127.0.0.1:${port}/isoloir`,
        ISOLOIR_DB_WAIT_SECONDS: '2',
        ISOLOIR_LOG_LEVEL: 'info',
      },
      60_000,
    );
    const ended = Date.now();
    expect(code, stderr).toBe(6);
    // Refused at once, it kept trying for the time set, from its first refusal to its exit.
    const firstRefusal = Number(/"time":(\d+)[^\n]*cannot be reached yet/.exec(stderr)?.[1]);
    expect(ended - firstRefusal).toBeGreaterThanOrEqual(1500);
    expect(stderr).toMatch(
      /isoloir: cannot connect to PostgreSQL at DATABASE_URL: .*ECONNREFUSED.*\(waited 2 s for it: ISOLOIR_DB_WAIT_SECONDS\)/,
    );
    // One line while it waits, not one per attempt; the URL (and its password) never.
    expect([...stderr.matchAll(new RegExp(WAITING, 'g'))].map((m) => m[1])).toEqual(['2']);
    expect(stderr).not.toContain(PASSWORD);
  });

  it('does not wait when ISOLOIR_DB_WAIT_SECONDS is 0', async () => {
    const port = await freePort();
    const { code, stderr } = await runServerToExit(
      {
        ...keys,
        DATABASE_URL: `postgres://isoloir@127.0.0.1:${port}/x`,
        ISOLOIR_DB_WAIT_SECONDS: '0',
        ISOLOIR_LOG_LEVEL: 'info',
      },
      60_000,
    );
    expect(code, stderr).toBe(6);
    expect(stderr).toMatch(/cannot connect to PostgreSQL at DATABASE_URL: .*ECONNREFUSED/);
    expect(stderr).not.toMatch(/waited|waiting/);
  });

  it('does not wait out the time on a SIGTERM: it stops at once', async () => {
    const port = await freePort();
    const server = spawnServer({
      DATABASE_URL: `postgres://isoloir@127.0.0.1:${port}/x`,
      ISOLOIR_DB_WAIT_SECONDS: '600',
    });
    await server.until(WAITING);
    server.child.kill('SIGTERM');
    // Without the stop, the wait would last 600 s: the test's time-out would end it.
    expect(await server.exited, server.stderr()).toBe(0);
    expect(server.stderr()).not.toMatch(/cannot connect/);
  });

  it('starts once PostgreSQL answers within the wait, and serves /health', async () => {
    // A TCP proxy to PostgreSQL on a port that refuses connections (nothing listening) for a
    // while, then forwards them: PostgreSQL coming up after the server.
    const target = new URL(s.config.databaseUrl!);
    const port = await freePort();
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    const url = new URL(target);
    url.host = `127.0.0.1:${port}`;
    const server = spawnServer({ DATABASE_URL: url.toString(), ISOLOIR_DB_WAIT_SECONDS: '10' });
    try {
      // Refused first (the line says it waits), then PostgreSQL "comes back".
      await server.until(WAITING);
      await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
      const [, listening] = await server.until(/"port":(\d+)[^\n]*Isoloir listening/);
      const res = await fetch(`http://127.0.0.1:${listening}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', database: 'postgres' });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
