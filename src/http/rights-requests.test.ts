// RIGHTS-1 over HTTP and the CLI: the public JSON routes answer the same for an address on file
// and one that is not (status, body, headers), 429 past the per-address budget; the DPO's routes
// need request.read / request.answer (a manager is refused); `isoloir request list / show /
// answer` show the queue without personal data and send the reply before exiting.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { latestCode, queuedMail } from '../../test/service-mail.ts';
import { makeAudience, type Audience } from '../../test/sending.ts';
import { makeStaff, callerOf, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';

let now = new Date('2027-01-31T10:00:00Z');
let s: TestServices;
let app: ReturnType<typeof createApp>;
let audience: Audience;
let dpo: Staff;
let manager: Staff;
let call: ReturnType<typeof callerOf>;
type Rows<T> = { rows: T[] };

const ask = (body: unknown) =>
  app.request(`/api/public/orgs/${audience.orgId}/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const confirm = (id: string, code: string) =>
  app.request(`/api/public/requests/${id}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  app = createApp(s);
  call = callerOf(app);
  audience = await makeAudience(s, 2, 'rh');
  dpo = await makeStaff(s, audience.orgId, 'dpo');
  manager = await makeStaff(s, audience.orgId, 'manager');
}, 120_000);
afterAll(() => s?.dispose());

describe('the public routes (RIGHTS-1)', () => {
  it('answers an unknown address as a known one, and 429 past three code requests an hour', async () => {
    const answers = [];
    for (const email of [audience.people[0]!.email, 'nobody@rh.example']) {
      const res = await ask({ kind: 'access', email });
      answers.push({
        status: res.status,
        keys: Object.keys((await res.json()) as object),
        cache: res.headers.get('cache-control'),
      });
    }
    expect(answers[0]).toEqual({ status: 202, keys: ['id'], cache: 'no-store' });
    expect(answers[1]).toEqual(answers[0]);
    expect((await queuedMail(s, audience.orgId)).map((m) => m.to)).not.toContain(
      'nobody@rh.example',
    );
    for (const email of [audience.people[0]!.email, 'nobody@rh.example']) {
      await ask({ kind: 'access', email });
      await ask({ kind: 'access', email });
      const res = await ask({ kind: 'access', email });
      expect(res.status).toBe(429);
      expect(((await res.json()) as { error: { key: string } }).error.key).toBe('rights.throttled');
    }
  });

  it('refuses a phone number while no SMS channel exists (issue 16), whether or not it is on file', async () => {
    const answers = [];
    for (const phone of ['06 12 34 56 78', '06 99 99 99 98']) {
      const res = await ask({ kind: 'access', phone });
      answers.push({ status: res.status, body: await res.json() });
    }
    expect(answers[0]).toMatchObject({
      status: 400,
      body: { error: { key: 'rights.phone_unavailable' } },
    });
    expect(answers[1]).toEqual(answers[0]);
  });

  it('confirms a code: access answered with the data; a wrong code is 400 with the attempts left', async () => {
    now = new Date(now.getTime() + 2 * 3600_000);
    const email = audience.people[1]!.email;
    const { id } = (await (await ask({ kind: 'access', email })).json()) as { id: string };
    const code = await latestCode(s, audience.orgId, email);
    const wrong = await confirm(id, code === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as any).error.params).toEqual({ remaining: 4 });
    const res = await confirm(id, code);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(Object.keys(body).sort()).toEqual(['data', 'dueAt', 'status']);
    // Received 31 January 2027 (+2 h): due on the last day of February.
    expect(body.dueAt).toBe('2027-02-28T12:00:00.000Z');
    expect(body.data.contacts[0].identity.email).toBe(email);
    expect(body.data.contacts[0].sources[0].type).toBe('supporter_signup');
  });
});

describe("the DPO's routes and commands (RIGHTS-1)", () => {
  let requestId: string;
  const cli = cliRunner(() => s);

  beforeAll(async () => {
    now = new Date(now.getTime() + 2 * 3600_000);
    const email = audience.people[0]!.email;
    requestId = (
      (await (await ask({ kind: 'rectification', email, details: 'Prénom : Anaïs' })).json()) as {
        id: string;
      }
    ).id;
    const res = await confirm(requestId, await latestCode(s, audience.orgId, email));
    expect(((await res.json()) as { status: string }).status).toBe('open');
  });

  it('needs request.read and request.answer: a manager is refused', async () => {
    const paths: [string, string, unknown?][] = [
      ['GET', `/api/orgs/${audience.orgId}/requests`],
      ['GET', `/api/requests/${requestId}`],
      ['POST', `/api/requests/${requestId}/answer`, { note: 'Fait.' }],
    ];
    for (const [method, path, body] of paths)
      expect((await call(manager, method, path, body)).status).toBe(403);
    const list = await call(dpo, 'GET', `/api/orgs/${audience.orgId}/requests`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(requestId);
    expect(list.raw.toString()).not.toMatch(/@|Anaïs|N0/);
    const one = await call(dpo, 'GET', `/api/requests/${requestId}`);
    expect(one.body).toMatchObject({ id: requestId, details: 'Prénom : Anaïs', status: 'open' });
  });

  it('lists, shows, extends and answers from the CLI, sending the reply before it exits', async () => {
    const list = await cli('request', 'list', '--org', audience.orgId, '--json');
    expect(list.code).toBe(0);
    const item = list.json().items.find((i: { id: string }) => i.id === requestId);
    expect(Object.keys(item)).toEqual(
      expect.arrayContaining(['id', 'kind', 'status', 'receivedAt', 'dueAt', 'channel']),
    );
    expect(list.stdout).not.toContain('@');
    const shown = await cli('request', 'show', requestId, '--json');
    expect(shown.json().details).toBe('Prénom : Anaïs');
    const extended = await cli(
      'request',
      'answer',
      requestId,
      '--note',
      'Nous vérifions votre fiche papier.',
      '--extend-days',
      '30',
      '--json',
    );
    expect(extended.json()).toMatchObject({ status: 'extended' });
    const answered = await cli('request', 'answer', requestId, '--note', 'Corrigé.', '--json');
    expect(answered.json()).toMatchObject({ id: requestId, status: 'answered' });
    // Nothing of this request's replies is left waiting: sent before the command returned.
    const waiting = (await s.db.execute(sql`
      select count(*)::int as n from notifications
      where org_id = ${audience.orgId} and kind = 'rights_reply' and state = 'queued'`)) as unknown as Rows<{
      n: number;
    }>;
    expect(waiting.rows[0]!.n).toBe(0);
  });
});
