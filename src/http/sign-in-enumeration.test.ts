// SEC-2, no account enumeration: whoever tries emails at the sign-in cannot tell which have an
// account. An email without one is counted and locked as an account is, and answered alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { disableUser } from '../domain/access/users.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let now = new Date('2026-11-24T10:00:00Z');
let staff: Staff;

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  app = createApp(s);
  const org = await makeOrg(s);
  staff = await makeStaff(s, org.id, 'viewer', { email: 'real.person@staff.example' });
});
afterAll(() => s.dispose());

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

/** What a guesser sees of one attempt: status, body and Retry-After. */
async function attempt(email: string, password = 'wrong password, surely') {
  const res = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: await res.json(),
  };
}

async function attempts(email: string, n: number) {
  const seen = [];
  for (let i = 0; i < n; i++) seen.push(await attempt(email));
  return seen;
}

describe('an unknown email answers sign-in failures as a real account does', () => {
  it('is locked after as many failed attempts, with the same status, body and Retry-After', async () => {
    const start = now;
    const real = await attempts(staff.email, 7);
    // The real account is locked by now: the sixth answer says so.
    expect(real[5]).toMatchObject({ status: 429, retryAfter: '30' });
    now = start;
    const unknown = await attempts('nobody.here@staff.example', 7);
    expect(unknown).toEqual(real);
  });

  it('answers a locked real account and an unknown email locked alike, even with the right password', async () => {
    const locked = await attempt(staff.email, staff.password);
    const unknown = await attempt('nobody.here@staff.example', staff.password);
    expect(locked.status).toBe(429);
    expect(unknown).toEqual(locked);
  });

  it('keeps answering alike when the lock ends: one more failure locks both for longer', async () => {
    later(31);
    const real = await attempts(staff.email, 2);
    const unknown = await attempts('nobody.here@staff.example', 2);
    expect(real[0]!.status).toBe(401);
    expect(real[1]).toMatchObject({ status: 429, retryAfter: '60' });
    expect(unknown).toEqual(real);
  });

  it('answers a disabled account as an unknown email', async () => {
    later(3600);
    const other = await makeStaff(s, (await makeOrg(s)).id, 'viewer');
    await disableUser(s.db, { userId: other.userId, actor: 'test' });
    const disabled = await attempts(other.email, 6);
    const unknown = await attempts('someone.else@staff.example', 6);
    expect(disabled[5]!.status).toBe(429);
    expect(unknown).toEqual(disabled);
  });
});
