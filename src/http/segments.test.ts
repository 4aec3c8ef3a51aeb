import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let token: string;
let orgId: string;
beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  orgId = (await makeOrg(s)).id;
  token = (await makeStaff(s, orgId, 'manager')).token;
  const source = await makeSource(s, orgId, { type: 'supporter_signup' });
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: { birthName: 'Roy', email: 'roy@exemple.fr', phone: '+33611111111' },
    attributes: { sex: 'M', birthYear: 1980 },
    actor: 'test',
  });
});
afterAll(() => s.dispose());

async function call(method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('segments API', () => {
  it('counts a filter with per-channel reachability', async () => {
    const res = await call('POST', `/api/orgs/${orgId}/segments/count`, {
      where: { field: 'sex', op: 'eq', value: 'M' },
      at: '2026-11-24',
    });
    expect(res).toEqual({
      status: 200,
      body: { total: 1, reachable: { email: 1, sms: 1, phone: 1, post: 0 } },
    });
  });

  it('refuses a forbidden field with 422 and SEG-2, and an unknown one with 400', async () => {
    const refused = await call('POST', `/api/orgs/${orgId}/segments/count`, {
      where: { field: 'nationality', op: 'eq', value: 'FR' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'refused', rule: 'SEG-2' });
    const unknown = await call('POST', `/api/orgs/${orgId}/segments/count`, {
      where: { field: 'shoe', op: 'eq', value: 1 },
    });
    expect(unknown.status).toBe(400);
  });

  it('creates, reads, updates, counts, previews and deletes saved segments', async () => {
    const created = await call('POST', `/api/orgs/${orgId}/segments`, {
      name: 'Hommes',
      where: { field: 'sex', op: 'eq', value: 'M' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call('GET', `/api/orgs/${orgId}/segments`)).body.items).toHaveLength(1);
    expect((await call('GET', `/api/segments/${id}`)).body.name).toBe('Hommes');
    expect((await call('GET', `/api/segments/${id}/count`)).body.total).toBe(1);
    const updated = await call('PUT', `/api/segments/${id}`, {
      name: 'Femmes',
      where: { field: 'sex', op: 'eq', value: 'F' },
    });
    expect(updated.body.name).toBe('Femmes');
    expect((await call('GET', `/api/segments/${id}/count`)).body.total).toBe(0);
    await call('PUT', `/api/segments/${id}`, { name: 'Tous', where: { and: [] } });
    const preview = await call('GET', `/api/segments/${id}/preview?limit=5`);
    expect(preview.body.items[0]).not.toHaveProperty('identity');
    const withIds = await call('GET', `/api/segments/${id}/preview?identifiers=true`);
    expect(withIds.body.items[0].identity.email).toBe('roy@exemple.fr');
    expect((await call('DELETE', `/api/segments/${id}`)).status).toBe(200);
    expect((await call('GET', `/api/segments/${id}`)).status).toBe(404);
  });
});
