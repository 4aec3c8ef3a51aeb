// Serving the built web app: its files, index.html for the app's own paths (with the security
// headers), hashed bundles cached for good, and nothing outside the build folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/files.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
const dist = tempDir('isoloir-dist-');

beforeAll(async () => {
  s = await openTestServices();
  fs.writeFileSync(dist.file('index.html'), '<!doctype html><title>app</title>');
  fs.mkdirSync(dist.file('assets'));
  fs.writeFileSync(path.join(dist.dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(path.dirname(dist.dir), 'isoloir-secret.txt'), 'secret');
  app = createApp(s, undefined, { webDist: dist.dir });
});
afterAll(async () => {
  await s.dispose();
  dist.remove();
  fs.rmSync(path.join(path.dirname(dist.dir), 'isoloir-secret.txt'), { force: true });
});

describe('the web app’s files', () => {
  it('serves index.html for the app’s paths, never cached stale, with a strict CSP', async () => {
    for (const p of ['/', '/campaigns/5b1f7c1e-0000-4000-8000-000000000000', '/sources']) {
      const res = await app.request(p);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>app</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    }
  });

  it('caches content-hashed bundles for good', async () => {
    const res = await app.request('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('keeps unknown API paths as JSON 404s and the public pages as the server renders them', async () => {
    const api = await app.request('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.code).toBe('not_found');
    expect((await app.request('/health')).headers.get('content-type')).toMatch(/json/);
    expect((await app.request('/api')).status).toBe(404);
  });

  it('serves the public pages unframeable and without scripts', async () => {
    const res = await app.request('/privacy/5b1f7c1e-0000-4000-8000-000000000000');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves nothing from outside the build folder', async () => {
    for (const p of [
      '/../isoloir-secret.txt',
      '/%2e%2e/isoloir-secret.txt',
      '/..%2fisoloir-secret.txt',
    ])
      expect(await (await app.request(p)).text()).not.toContain('secret');
  });
});
