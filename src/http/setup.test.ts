// First run from the web app (GET/POST /api/setup): the organisation and its first owner in one
// step, signed in and sent to enrol the second factor; once only, and only from the machine itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orgInput } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
beforeEach(async () => {
  s = await openTestServices();
  app = createApp(s);
});
afterEach(() => s.dispose());

/** A setup as a browser on the server's own machine sends it, with `headers` changed. */
const setup = (
  body: unknown,
  remoteAddress = '127.0.0.1',
  changes: Record<string, string | null> = {},
) =>
  app.request(
    'http://127.0.0.1:8080/api/setup',
    {
      method: 'POST',
      // null removes a header.
      headers: Object.fromEntries(
        Object.entries({
          host: '127.0.0.1:8080',
          origin: 'http://127.0.0.1:8080',
          'sec-fetch-site': 'same-origin',
          'content-type': 'application/json',
          ...changes,
        }).filter((e): e is [string, string] => e[1] !== null),
      ),
      body: JSON.stringify(body),
    },
    { incoming: { socket: { remoteAddress } } },
  );

const owner = {
  email: 'lea@exemple-2027.fr',
  displayName: 'Léa',
  password: 'correct horse battery',
};

describe('first-run setup (SEC-1, SEC-2)', () => {
  it('creates the organisation and its owner, signs them in and asks for second-factor enrolment', async () => {
    expect(await (await app.request('/api/setup')).json()).toEqual({ needed: true });
    const res = await setup({ organisation: orgInput(), owner });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({
      secondFactor: 'enrolment_required',
      user: { email: owner.email, isAdmin: true, memberships: [{ role: 'owner' }] },
      organisation: { legalName: orgInput().legalName, jurisdiction: 'FR' },
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    // The session can start TOTP enrolment (the QR code's otpauth URI).
    const enrol = await app.request('/api/session/totp', {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0]!, 'x-csrf-token': body.csrfToken },
    });
    expect(((await enrol.json()) as any).uri).toMatch(/^otpauth:\/\/totp\//);
    expect(await (await app.request('/api/setup')).json()).toEqual({ needed: false });
  });

  it('runs once: a second setup is refused and changes nothing', async () => {
    expect((await setup({ organisation: orgInput(), owner })).status).toBe(201);
    const again = await setup({
      organisation: orgInput({ legalName: 'Intrus' }),
      owner: { ...owner, email: 'intrus@exemple.fr' },
    });
    expect(again.status).toBe(409);
    const users = await s.db.execute('select count(*)::int as n from users' as never);
    expect((users as any).rows[0].n).toBe(1);
  });

  it('leaves nothing behind when the organisation is invalid, so setup can be retried', async () => {
    const bad = await setup({ organisation: orgInput({ jurisdiction: 'XX' }), owner });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/jurisdiction/);
    expect(await (await app.request('/api/setup')).json()).toEqual({ needed: true });
    expect((await setup({ organisation: orgInput(), owner })).status).toBe(201);
  });

  it('refuses a setup from another machine: a freshly started server cannot be claimed remotely', async () => {
    const res = await setup({ organisation: orgInput(), owner }, '203.0.113.7');
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toMatch(/own machine/);
    expect(await (await app.request('/api/setup')).json()).toEqual({ needed: true });
  });

  it('refuses a setup that another site makes the local browser send (CSRF, DNS rebinding, proxy)', async () => {
    const attempts: Record<string, string | null>[] = [
      // A page elsewhere posting to 127.0.0.1 with a content type that needs no preflight.
      { origin: 'http://evil.example', 'content-type': 'text/plain; x=application/json' },
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site', origin: null },
      // A DNS-rebinding site: same origin as far as the browser knows, but its own host name.
      { host: 'evil.example:8080', origin: 'http://evil.example:8080' },
      // A reverse proxy on this machine forwarding someone else.
      { 'x-forwarded-for': '203.0.113.7' },
      { via: '1.1 proxy' },
    ];
    for (const headers of attempts) {
      const res = await setup({ organisation: orgInput(), owner }, '127.0.0.1', headers);
      expect([400, 403]).toContain(res.status);
    }
    expect(await (await app.request('/api/setup')).json()).toEqual({ needed: true });
    // Sent from a local page or typed locally (no Origin, as curl does), it works.
    const curl = await setup({ organisation: orgInput(), owner }, '::1', {
      host: 'localhost:8080',
      origin: null,
      'sec-fetch-site': null,
    });
    expect(curl.status).toBe(201);
  });

  it('refuses a weak first password', async () => {
    const res = await setup({ organisation: orgInput(), owner: { ...owner, password: 'short' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/12 characters/);
  });
});
