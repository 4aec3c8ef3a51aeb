// SEC-2: signing in to the web app. Password, then the second factor for every role that sees
// identifiers; HTTP-only SameSite cookies; CSRF on changes; brute force throttled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { totpCode } from '../domain/access/totp.ts';
import { createUser, disableUser, setRole } from '../domain/access/users.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let now = new Date('2026-11-24T10:00:00Z');
let orgId: string;

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  app = createApp(s);
  orgId = (await makeOrg(s)).id;
});
afterAll(() => s.dispose());

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

type Browser = { cookie?: string; csrf?: string };

async function send(b: Browser, method: string, path: string, body?: unknown, csrf = true) {
  const headers: Record<string, string> = {};
  if (b.cookie) headers.cookie = b.cookie;
  if (csrf && b.csrf) headers['x-csrf-token'] = b.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const setCookie = res.headers.get('set-cookie');
  const json = (await res.json()) as any;
  return { status: res.status, body: json, setCookie, headers: res.headers };
}

async function signIn(staff: Pick<Staff, 'email' | 'password'>) {
  const b: Browser = {};
  const res = await send(b, 'POST', '/api/session', {
    email: staff.email,
    password: staff.password,
  });
  if (res.setCookie) b.cookie = res.setCookie.split(';')[0];
  b.csrf = res.body.csrfToken;
  return { b, res };
}

/** Enrols TOTP in a pending session; returns the secret and recovery codes. */
async function enrol(b: Browser) {
  const started = await send(b, 'POST', '/api/session/totp', {});
  expect(started.status).toBe(200);
  expect(started.body.uri).toMatch(/^otpauth:\/\/totp\/Isoloir:/);
  const confirmed = await send(b, 'POST', '/api/session/totp/confirm', {
    code: await totpCode(started.body.secret, now),
  });
  expect(confirmed.status).toBe(200);
  return {
    secret: started.body.secret as string,
    recoveryCodes: confirmed.body.recoveryCodes as string[],
  };
}

describe('signing in (SEC-2)', () => {
  it('sets an HTTP-only, SameSite=Strict session cookie and never returns the password hash', async () => {
    const viewer = await makeStaff(s, orgId, 'viewer');
    const { res } = await signIn(viewer);
    expect(res.status).toBe(200);
    expect(res.setCookie).toMatch(/^isoloir_session=isess_[\w-]+;/);
    expect(res.setCookie).toMatch(/HttpOnly/);
    expect(res.setCookie).toMatch(/SameSite=Strict/);
    expect(res.setCookie).toMatch(/Path=\//);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|passwordHash/);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const viewer = await makeStaff(s, orgId, 'viewer');
    const wrong = await send({}, 'POST', '/api/session', {
      email: viewer.email,
      password: 'nope nope nope',
    });
    const unknown = await send({}, 'POST', '/api/session', {
      email: 'nobody@staff.example',
      password: 'nope nope nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('makes sign-in without the second factor impossible for a role that sees identifiers', async () => {
    const manager = await makeStaff(s, orgId, 'manager');
    const { b, res } = await signIn(manager);
    expect(res.body.secondFactor).toBe('enrolment_required');
    // The password alone opens nothing but the way to the second factor.
    for (const path of [
      `/api/orgs/${orgId}`,
      `/api/orgs/${orgId}/segments`,
      '/api/orgs',
      '/api/tokens',
    ]) {
      const blocked = await send(b, 'GET', path);
      expect(blocked.status, path).toBe(401);
      expect(blocked.body.error.rule).toBe('SEC-2');
    }
    expect((await send(b, 'GET', '/api/session')).body.secondFactor).toBe('enrolment_required');
    const { secret, recoveryCodes } = await enrol(b);
    expect(recoveryCodes).toHaveLength(10);
    expect((await send(b, 'GET', `/api/orgs/${orgId}/segments`)).status).toBe(200);

    // Next time: the code is asked for; a wrong one fails, a right one opens, and cannot be replayed.
    later(60);
    const again = await signIn(manager);
    expect(again.res.body.secondFactor).toBe('required');
    expect((await send(again.b, 'POST', '/api/session/totp', {})).status).toBe(409); // no re-enrolment
    expect(
      (await send(again.b, 'POST', '/api/session/second-factor', { code: '000000' })).status,
    ).toBe(401);
    const code = await totpCode(secret, now);
    expect((await send(again.b, 'POST', '/api/session/second-factor', { code })).status).toBe(200);
    expect((await send(again.b, 'GET', `/api/orgs/${orgId}/segments`)).status).toBe(200);
    const replay = await signIn(manager);
    expect((await send(replay.b, 'POST', '/api/session/second-factor', { code })).status).toBe(401);

    // A recovery code works once.
    const recovery = await signIn(manager);
    const used = { recoveryCode: recoveryCodes[0] };
    expect((await send(recovery.b, 'POST', '/api/session/second-factor', used)).status).toBe(200);
    const twice = await signIn(manager);
    expect((await send(twice.b, 'POST', '/api/session/second-factor', used)).status).toBe(401);
  });

  it('keeps an enrolment secret to the session that started it (no swap by another password holder)', async () => {
    const manager = await makeStaff(s, orgId, 'manager');
    const mine = await signIn(manager);
    const theirs = await signIn(manager);
    const mySecret = (await send(mine.b, 'POST', '/api/session/totp', {})).body.secret;
    const theirSecret = (await send(theirs.b, 'POST', '/api/session/totp', {})).body.secret;
    expect(theirSecret).not.toBe(mySecret);
    const wrongSecret = await send(mine.b, 'POST', '/api/session/totp/confirm', {
      code: await totpCode(theirSecret, now),
    });
    expect(wrongSecret.status).toBe(401);
    const ok = await send(mine.b, 'POST', '/api/session/totp/confirm', {
      code: await totpCode(mySecret, now),
    });
    expect(ok.status).toBe(200);
    // The other session cannot replace the factor now confirmed.
    const late = await send(theirs.b, 'POST', '/api/session/totp/confirm', {
      code: await totpCode(theirSecret, now),
    });
    expect(late.status).toBe(409);
  });

  it('asks for the second factor at once when a viewer is given a role that sees identifiers', async () => {
    const viewer = await makeStaff(s, orgId, 'viewer');
    const { b, res } = await signIn(viewer);
    expect(res.body.secondFactor).toBe('not_required');
    expect((await send(b, 'GET', `/api/orgs/${orgId}/contacts/count`)).status).toBe(200);
    await setRole(s.db, {
      orgId,
      userId: viewer.userId,
      input: { role: 'manager' },
      actor: 'test',
    });
    const blocked = await send(b, 'GET', `/api/orgs/${orgId}/contacts/count`);
    expect(blocked.status).toBe(401);
    expect(blocked.body.error.rule).toBe('SEC-2');
  });

  it('refuses a change sent with the cookie but without the CSRF token', async () => {
    const viewer = await makeStaff(s, orgId, 'viewer');
    const { b } = await signIn(viewer);
    const forged = await send(
      b,
      'POST',
      '/api/session/password',
      { currentPassword: viewer.password, newPassword: 'a new long password' },
      false,
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toMatch(/X-CSRF-Token/);
    const wrongToken = await send({ ...b, csrf: 'x'.repeat(43) }, 'POST', '/api/session/password', {
      currentPassword: viewer.password,
      newPassword: 'a new long password',
    });
    expect(wrongToken.status).toBe(403);
    const ok = await send(b, 'POST', '/api/session/password', {
      currentPassword: viewer.password,
      newPassword: 'a new long password',
    });
    expect(ok.status).toBe(200);
    expect(
      (await signIn({ email: viewer.email, password: 'a new long password' })).res.status,
    ).toBe(200);
  });

  it('throttles password guessing: after five failures even the right password waits', async () => {
    const viewer = await makeStaff(s, orgId, 'viewer');
    for (let i = 0; i < 5; i++) {
      const res = await send({}, 'POST', '/api/session', {
        email: viewer.email,
        password: `guess number ${i}`,
      });
      expect(res.status).toBe(401);
    }
    const locked = await signIn(viewer);
    expect(locked.res.status).toBe(429);
    expect(locked.res.body.error.rule).toBe('SEC-2');
    expect(Number(locked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    // One more failure doubles the wait.
    later(31);
    await send({}, 'POST', '/api/session', { email: viewer.email, password: 'guess again' });
    later(31);
    expect((await signIn(viewer)).res.status).toBe(429);
    later(31);
    expect((await signIn(viewer)).res.status).toBe(200);
  });

  it('throttles second-factor guessing as well', async () => {
    const manager = await makeStaff(s, orgId, 'manager');
    const first = await signIn(manager);
    await enrol(first.b);
    const { b } = await signIn(manager);
    for (let i = 0; i < 5; i++)
      expect(
        (await send(b, 'POST', '/api/session/second-factor', { code: `11111${i}` })).status,
      ).toBe(401);
    expect((await send(b, 'POST', '/api/session/second-factor', { code: '123456' })).status).toBe(
      429,
    );
  });

  it('ends sessions on sign-out and when the account is disabled', async () => {
    const viewer = await makeStaff(s, orgId, 'viewer');
    const one = await signIn(viewer);
    expect((await send(one.b, 'DELETE', '/api/session')).status).toBe(200);
    expect((await send(one.b, 'GET', '/api/session')).status).toBe(401);
    const two = await signIn(viewer);
    await disableUser(s.db, { userId: viewer.userId, actor: 'test' });
    expect((await send(two.b, 'GET', '/api/session')).status).toBe(401);
    expect((await signIn(viewer)).res.status).toBe(401);
    const tokenUse = await app.request('/api/orgs', {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(tokenUse.status).toBe(401);
  });

  it('ends an idle session after an hour', async () => {
    const viewer = await makeStaff(s, orgId, 'viewer');
    const { b } = await signIn(viewer);
    later(3601);
    expect((await send(b, 'GET', '/api/session')).status).toBe(401);
  });

  it('makes a handed-over first password be changed before anything else', async () => {
    // An owner adds a viewer without choosing a password: one is generated and shown to the owner.
    const made = await createUser(s.db, {
      input: { email: 'nouveau@staff.example', displayName: 'Nouveau', orgId, role: 'viewer' },
      actor: 'test',
    });
    const first = { email: 'nouveau@staff.example', password: made.initialPassword! };
    const { b, res } = await signIn(first);
    expect(res.status).toBe(200);
    expect((await send(b, 'GET', '/api/session')).body.passwordChangeRequired).toBe(true);
    const blocked = await send(b, 'GET', `/api/orgs/${orgId}`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toMatchObject({ rule: 'SEC-2' });
    const changed = await send(b, 'POST', '/api/session/password', {
      currentPassword: first.password,
      newPassword: 'a password of my own choosing',
    });
    expect(changed.status).toBe(200);
    expect((await send(b, 'GET', '/api/session')).body.passwordChangeRequired).toBe(false);
    expect((await send(b, 'GET', `/api/orgs/${orgId}`)).status).toBe(200);
    // A password the person chose themselves is never flagged.
    const { b: own } = await signIn({
      email: first.email,
      password: 'a password of my own choosing',
    });
    expect((await send(own, 'GET', '/api/session')).body.passwordChangeRequired).toBe(false);
  });
});
