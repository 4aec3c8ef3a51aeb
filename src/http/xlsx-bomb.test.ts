// Issue 13, acceptance (item 1): the hostile XLSX of the issue, a few MB whose shared strings
// inflate past 1 GB, sent to the import preview and to the import: each fails within seconds
// with a 400 naming the limit and its setting, memory stays bounded, and the server still
// answers /health afterwards. (The same file through the `isoloir import` process, with its
// peak RSS measured from outside: test/e2e/xlsx-bomb.test.ts.)
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { writeSharedStringsBomb } from '../../test/hostile-xlsx.ts';
import { bearer, makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { countContacts } from '../domain/contacts/contacts.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let auth: Record<string, string>;
let orgId: string;
let sourceId: string;
const files = tempDir('isoloir-xlsx-bomb-');
const bomb = files.file('liste.xlsx');

beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  const org = await makeOrg(s);
  orgId = org.id;
  const staff = await makeStaff(s, org.id, 'manager', { tokenOrgId: null });
  auth = bearer(staff);
  sourceId = (await makeSource(s, org.id, { type: 'supporter_signup' })).id;
  writeSharedStringsBomb(bomb, 1.1 * 1024 ** 3);
}, 120_000);
afterAll(async () => {
  await s.dispose();
  files.remove();
});

function upload(file: string) {
  const body = new FormData();
  body.append('file', new Blob([fs.readFileSync(file)]), 'liste.xlsx');
  return body;
}

// How far this process's RSS rose above its level at the start, while the request ran. The
// lifetime peak (resourceUsage().maxRSS) alone cannot say: Vitest reuses a worker across files,
// so that peak may predate this test. A new lifetime peak reached during the request is counted,
// and a sampler every 5 ms (the reader inflates asynchronously) sees any lower one.
function watchPeakRss(): { stop(): number } {
  const before = process.memoryUsage().rss;
  const lifetimePeakBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = before;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      sampled = Math.max(sampled, process.memoryUsage().rss);
      const lifetimePeak = process.resourceUsage().maxRSS * 1024;
      const peak = lifetimePeak > lifetimePeakBefore ? Math.max(sampled, lifetimePeak) : sampled;
      return peak - before;
    },
  };
}

const LIMIT_NAMED =
  /^the XLSX file's part xl\/sharedStrings\.xml inflates past 150 MiB \(ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES\)/;

describe('the hostile XLSX of issue 13 (shared strings inflating past 1 GB)', () => {
  it.each([
    ['the preview', 'imports/preview'],
    ['the import', 'imports'],
  ])(
    'makes %s fail within seconds with a 400 naming the limit, and /health still answers',
    async (_label, route) => {
      expect(fs.statSync(bomb).size).toBeLessThan(8 * 1024 ** 2);
      const peak = watchPeakRss();
      const started = Date.now();
      const res = await app.request(`/api/sources/${sourceId}/${route}`, {
        method: 'POST',
        headers: auth,
        body: upload(bomb),
      });
      const elapsed = Date.now() - started;
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as {
        error: { message: string; key?: string; params?: Record<string, string> };
      };
      expect(error.message).toMatch(LIMIT_NAMED);
      expect(error).toMatchObject({
        key: 'import.xlsx_entry_too_large',
        params: { part: 'xl/sharedStrings.xml', limit: '150 MiB' },
      });
      expect(elapsed).toBeLessThan(20_000);
      // The memory of this process (which holds the test database too) grew by little during the
      // request: the shared strings were never inflated. (Old code: gigabytes, or out of memory.)
      expect(peak.stop()).toBeLessThan(300 * 1024 ** 2);
      const health = await app.request('/health');
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      expect(await countContacts(s.db, { orgId })).toEqual({ total: 0 });
    },
    60_000,
  );
});
