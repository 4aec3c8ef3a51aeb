// SEC-2, no account enumeration across restarts: the failed sign-ins of an email without an
// account are counted in the database, as an account's are. Restarting the server (or asking a
// second server on the same database) does not clear the lock of an unknown email, which keeps
// answering 429 exactly as a locked real account does; the email itself is never stored.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, testDbKind, type TestServices } from '../../test/test-db.ts';
import type { Services } from '../services.ts';
import { createApp } from './app.ts';

const files = tempDir('isoloir-sign-in-restart-');
let s: TestServices;
let restarted: Services | undefined;
const now = new Date('2026-11-24T10:00:00Z');
let staff: Staff;
const UNKNOWN = 'Nobody.Here@Staff.Example';

beforeAll(async () => {
  s = await openTestServices({
    clock: () => now,
    // PGlite on disk, so that it can be closed and opened again.
    dataDir: testDbKind === 'pglite' ? path.join(files.dir, 'data') : undefined,
  });
  const org = await makeOrg(s);
  staff = await makeStaff(s, org.id, 'viewer', { email: 'real.person@staff.example' });
});
afterAll(async () => {
  await restarted?.close();
  if (testDbKind === 'postgres') await s.dispose();
  files.remove();
});

/** What a guesser sees of one attempt: status, body and Retry-After. */
async function attempt(app: { request: ReturnType<typeof createApp>['request'] }, email: string) {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'wrong password, surely' }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe(`an unknown email stays locked across a restart (${testDbKind})`, () => {
  it('answers 429 after a restart, as a locked real account does', async () => {
    const before = createApp(s);
    for (let i = 0; i < 6; i++) await attempt(before, staff.email);
    for (let i = 0; i < 6; i++) await attempt(before, UNKNOWN);
    expect(await attempt(before, UNKNOWN)).toMatchObject({ status: 429, retryAfter: '30' });

    // A restart: fresh modules (nothing kept in a process survives), services opened again on
    // the same database: PGlite closed and reopened, or a second server on PostgreSQL.
    if (testDbKind === 'pglite') await s.close();
    vi.resetModules();
    const { createServices } = await import('../services.ts');
    const { createApp: createRestartedApp } = await import('./app.ts');
    restarted = await createServices(s.config, { clock: () => now });
    const after = createRestartedApp(restarted);

    const real = await attempt(after, staff.email);
    const unknown = await attempt(after, UNKNOWN);
    expect(real).toMatchObject({ status: 429, retryAfter: '30' });
    expect(unknown).toEqual(real);
    // Case and spacing do not make another email.
    expect(await attempt(after, ` ${UNKNOWN.toLowerCase()} `)).toEqual(real);
  });

  it('stores a keyed hash of the unknown email, never the email', async () => {
    const rows = (await restarted!.db.execute(
      'select email_hash, failures from sign_in_unknown_attempts' as never,
    )) as unknown as { rows: { email_hash: Uint8Array; failures: number }[] };
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.failures).toBe(5); // the fifth locked it; the sixth was refused, not counted
    const stored = Buffer.from(rows.rows[0]!.email_hash).toString('latin1');
    expect(stored).not.toContain('nobody');
    expect(rows.rows[0]!.email_hash).toHaveLength(32);
  });
});
