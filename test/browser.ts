// Browser tests: Debian's Chromium driven by playwright-core (no browser download), the web app
// built by Vite into a private directory, and the real server (HTTP over loopback, in-process).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { createApp } from '../src/http/app.ts';
import type { Services } from '../src/services.ts';
import { repoRoot } from './processes.ts';

export const CHROMIUM = process.env.ISOLOIR_CHROMIUM ?? '/usr/bin/chromium';

// Flags for a headless Chromium on a machine with no network beyond loopback.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The web app's sources (and the lock file): what a build depends on. */
function webSourcesHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(full).update(fs.readFileSync(full));
    }
  };
  walk(path.join(repoRoot, 'web'));
  hash.update(fs.readFileSync(path.join(repoRoot, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The web app built by Vite, once per version of its sources: the browser test files share one
 * build (it takes half a minute) in a directory named by the sources' hash, so a changed source
 * is never served from an old build. The first file to get here builds under a lock file; the
 * others wait for it. Callers must not delete or change the directory.
 */
export async function buildWebApp(): Promise<string> {
  const dir = path.join(os.tmpdir(), `isoloir-web-${webSourcesHash()}`);
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
    try {
      fs.closeSync(fs.openSync(lock, 'wx'));
      break;
    } catch {
      // Another file is building; a lock older than five minutes was left by a killed run.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 5 * 60_000) fs.rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`the web app build at ${dir} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-web-build-'));
  // The test runner sets NODE_ENV=test, which would bundle React's development build; the app is
  // tested as it ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(repoRoot, 'web/vite.config.ts'),
      logLevel: 'warn',
      mode: 'production',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    try {
      fs.renameSync(outDir, dir);
    } catch (error) {
      // Built meanwhile by a run that took over a stale lock: keep that one.
      fs.rmSync(outDir, { recursive: true, force: true });
      if (!fs.existsSync(path.join(dir, 'index.html'))) throw error;
    }
  } finally {
    process.env.NODE_ENV = nodeEnv;
    fs.rmSync(lock, { force: true });
  }
  return dir;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set ISOLOIR_CHROMIUM`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** Serves the app on a loopback port; `services.email.publicUrl` should name that port. */
export async function serveApp(
  services: Services,
  webDist: string,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp(services, undefined, { webDist });
  let server: ServerType;
  const actual = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Saves a full-page screenshot under test-artifacts/screenshots/<project>/, after checking the
 * screen for accessibility problems (WCAG 2.1 AA, axe-core): a screen with any fails the test.
 */
export function screenshotter(project: string) {
  const dir = path.join(repoRoot, 'test-artifacts', 'screenshots', project);
  // Each run starts afresh, so the folder shows this run's screens only.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string) => {
    n++;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const problems = await accessibilityProblems(page);
    if (problems.length > 0)
      throw new Error(`accessibility problems on "${name}":\n${problems.join('\n')}`);
  };
}

/** A free loopback port, so that the server's public URL (links in messages) is known up front. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * WCAG 2.1 A and AA checks by axe-core on the page as it is (labels, names, contrast, landmarks,
 * headings, language...): one line per violation, with the elements it found.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, so the page's own CSP does not block it.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<any> } }).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return (result.violations as any[]).map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`,
    );
  });
  return violations;
}
