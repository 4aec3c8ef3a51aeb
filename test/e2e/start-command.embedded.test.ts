// The README's start command, as a user runs it: `npm start` builds the web app, then the server
// serves it at / on the embedded database (PGlite only: it is the no-server quick start).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../processes.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-start-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('builds the web app and serves it at /, with the first-run setup open', async () => {
    const { DATABASE_URL: _db, NODE_ENV: _mode, ...env } = process.env;
    // Its own process group, so that npm and the server it starts stop together.
    const child = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: { ...env, ISOLOIR_DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      let err = '';
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no server:\n${err}`)), 90_000);
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /"port":(\d+)[^\n]*Isoloir listening/.exec(err);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
      });
      const base = `http://127.0.0.1:${port}`;
      const page = await (await fetch(`${base}/`)).text();
      expect(page).toContain('<div id="root"></div>');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)![1]!;
      const bundle = await fetch(`${base}${script}`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toMatch(/javascript/);
      expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needed: true });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }, 120_000);
});
