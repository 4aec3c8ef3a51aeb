import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, orgInput } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createUser } from '../domain/access/users.ts';
import { revokeApiToken } from '../domain/access/api-tokens.ts';
import { makeAdmin, makeStaff } from '../../test/staff.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let token: string;

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  app = createApp(s);
  token = (await makeAdmin(s)).token;
});
afterAll(() => s.dispose());

async function call(method: string, path: string, body?: unknown, auth: string | null = token) {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = `Bearer ${auth}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function newOrg(overrides: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/orgs', orgInput(overrides));
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe('HTTP API', () => {
  it('serves /health without a token', async () => {
    const res = await call('GET', '/health', undefined, null);
    expect(res).toEqual({ status: 200, body: { status: 'ok', database: s.database.kind } });
  });

  it('makes the first administrator once only (the one-time setup that replaced the bootstrap token)', async () => {
    await expect(
      createUser(s.db, {
        input: { email: 'second@staff.example', displayName: 'Second', admin: true },
        actor: 'test',
      }),
    ).rejects.toThrow(/administrator already exists/);
  });

  it('refuses /api without a valid token (401), including a revoked one', async () => {
    expect((await call('GET', '/api/orgs', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/orgs', undefined, 'iso_forged')).status).toBe(401);
    const org = await newOrg();
    const extra = await makeStaff(s, org.id, 'viewer');
    expect((await call('GET', '/api/orgs', undefined, extra.token)).status).toBe(200);
    const [tokenRow] = (await call('GET', '/api/tokens', undefined, extra.token)).body.items;
    await revokeApiToken(s.db, { tokenId: tokenRow.id, actor: 'test' });
    const revoked = await call('GET', '/api/orgs', undefined, extra.token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('unauthenticated');
  });

  it('creates and reads organisations, elections and sources', async () => {
    const org = await newOrg();
    expect((await call('GET', `/api/orgs/${org.id}`)).body.legalName).toBe(orgInput().legalName);

    const election = await call('POST', `/api/orgs/${org.id}/elections`, {
      name: 'Législatives',
      round1: '2027-06-13',
      round2: '2027-06-20',
      territory: ['69'],
    });
    expect(election.status).toBe(201);
    expect((await call('GET', `/api/elections/${election.body.id}`)).body.rounds).toHaveLength(2);
    expect((await call('GET', `/api/orgs/${org.id}/elections`)).body.items).toHaveLength(1);

    const source = await call('POST', `/api/orgs/${org.id}/sources`, {
      type: 'electoral_list',
      label: 'Liste électorale de Lyon',
      electionId: election.body.id,
      obtainedOn: '2026-10-01',
    });
    expect(source.status).toBe(201);
    expect((await call('GET', `/api/sources/${source.body.id}`)).body.type).toBe('electoral_list');
    expect((await call('GET', `/api/orgs/${org.id}/sources`)).body.items).toHaveLength(1);
    expect((await call('GET', `/api/orgs/${org.id}/contacts/count`)).body).toEqual({ total: 0 });
  });

  it.each([
    [{ type: 'administrative_file', label: 'État civil' }, 'SRC-1'],
    [{ type: 'hr_file', label: 'Paie' }, 'SRC-1'],
    [{ type: 'other_organisation_file', label: 'Clients' }, 'SRC-1'],
    [{ type: 'mandate_file', label: 'Courriers de la mairie' }, 'SRC-7'],
    [{ type: 'purchased_file', label: 'Location' }, 'SRC-3'],
  ])('refuses %j with 422 naming %s', async (input, rule) => {
    const org = await newOrg();
    const res = await call('POST', `/api/orgs/${org.id}/sources`, input);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'refused', rule });
    expect(res.body.error.message).toMatch(/.{30,}/);
    expect((await call('GET', `/api/orgs/${org.id}/sources`)).body.items).toEqual([]);
  });

  it('refuses sources of a Moroccan organisation until its CNDP receipt is recorded (ACC-2)', async () => {
    const org = await newOrg({ jurisdiction: 'MA' });
    const refused = await call('POST', `/api/orgs/${org.id}/sources`, {
      type: 'member_file',
      label: 'Adhérents',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.rule).toBe('ACC-2');
    expect(
      (await call('PATCH', `/api/orgs/${org.id}`, { cndpReceipt: 'D-PO-2026-200' })).status,
    ).toBe(200);
    const accepted = await call('POST', `/api/orgs/${org.id}/sources`, {
      type: 'purchased_file',
      label: 'Fichier loué',
      attestation,
    });
    expect(accepted.status).toBe(201);
  });

  it('answers a type named like an object prototype key as an unknown type, not a refusal', async () => {
    const org = await newOrg();
    const res = await call('POST', `/api/orgs/${org.id}/sources`, {
      type: 'constructor',
      label: 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/"constructor" is not a source type/);
  });

  it('refuses control characters (NUL breaks PostgreSQL) with 400 naming the field', async () => {
    const res = await call('POST', '/api/orgs', orgInput({ legalName: 'Parti\u0000Exemple' }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/legalName: must not contain control characters/);
  });

  it('answers bad input with 400, unknown things with 404, each as {"error": {code, message, rule}}', async () => {
    const invalid = await call('POST', '/api/orgs', { legalName: 'X' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      error: {
        code: 'invalid',
        key: 'validation.invalid_fields',
        params: expect.objectContaining({ fields: expect.stringMatching(/postalAddress/) }),
        message: expect.stringMatching(/postalAddress/),
        rule: null,
      },
    });

    const res = await app.request('/api/orgs', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(/not valid JSON/);

    expect((await call('GET', `/api/orgs/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await call('GET', '/api/nothing-here')).status).toBe(404);
    expect((await call('GET', '/api/source-types')).body.forbidden).toContainEqual(
      expect.objectContaining({ type: 'mandate_file', rule: 'SRC-7' }),
    );
  });
});
