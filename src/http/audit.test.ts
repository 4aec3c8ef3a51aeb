// SEC-2: the DPO reads the audit log through the API, filtered by actor, action, entity and time;
// every write of the API leaves an event, without personal values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { callerOf, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { recordConsent } from '../domain/consent/consent.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let now = new Date('2026-11-24T10:00:00Z');
let orgId: string;
let manager: Staff;
let dpo: Staff;

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  app = createApp(s);
  orgId = (await makeOrg(s)).id;
  manager = await makeStaff(s, orgId, 'manager');
  dpo = await makeStaff(s, orgId, 'dpo');
});
afterAll(() => s.dispose());

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

describe('audit log API (SEC-2)', () => {
  it('records elections, sources, segments and consent, and lets the DPO filter them', async () => {
    const election = await call(manager, 'POST', `/api/orgs/${orgId}/elections`, {
      name: 'Municipales',
      round1: '2026-03-15',
      territory: ['69123'],
    });
    // The manager may not create elections (org.manage is the owner's).
    expect(election.status).toBe(403);
    const owner = await makeStaff(s, orgId, 'owner');
    expect(
      (
        await call(owner, 'POST', `/api/orgs/${orgId}/elections`, {
          name: 'Municipales',
          round1: '2027-03-14',
          territory: ['69123'],
        })
      ).status,
    ).toBe(201);
    const segment = await call(manager, 'POST', `/api/orgs/${orgId}/segments`, {
      name: 'Tous',
      where: { and: [] },
    });
    now = new Date('2026-11-25T10:00:00Z');
    await call(manager, 'PUT', `/api/segments/${segment.body.id}`, {
      name: 'Lyon',
      where: { field: 'commune', op: 'eq', value: '69123' },
    });
    await call(manager, 'DELETE', `/api/segments/${segment.body.id}`);
    const source = await makeSource(s, orgId, { type: 'supporter_signup' });
    const contact = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: 'Secret', email: 'secret@exemple.fr' },
      actor: 'test',
    });
    await recordConsent(s.db, {
      orgId,
      contactId: contact.id,
      entry: { channel: 'email', action: 'withdrawn', method: 'letter' },
      actor: `user:${manager.userId}`,
      clock: s.clock,
    });

    const all = await call(dpo, 'GET', `/api/orgs/${orgId}/audit?limit=100`);
    expect(all.status).toBe(200);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    for (const a of [
      'election.create',
      'segment.save',
      'segment.update',
      'segment.delete',
      'consent.record',
    ])
      expect(actions).toContain(a);
    expect(JSON.stringify(all.body)).not.toMatch(/secret|Secret|69123/);

    // By actor: the manager's acts, including those done with their token.
    const byManager = await call(
      dpo,
      'GET',
      `/api/orgs/${orgId}/audit?actor=user:${manager.userId}`,
    );
    expect(new Set(byManager.body.items.map((e: { action: string }) => e.action))).toEqual(
      new Set(['segment.save', 'segment.update', 'segment.delete', 'consent.record']),
    );
    // By entity, and by time.
    const bySegment = await call(
      dpo,
      'GET',
      `/api/orgs/${orgId}/audit?entityId=${segment.body.id}`,
    );
    expect(bySegment.body.items.map((e: { action: string }) => e.action)).toEqual([
      'segment.delete',
      'segment.update',
      'segment.save',
    ]);
    const firstDay = await call(
      dpo,
      'GET',
      `/api/orgs/${orgId}/audit?actor=user:${manager.userId}&until=2026-11-24T23:59:59Z`,
    );
    expect(firstDay.body.items.map((e: { action: string }) => e.action)).toEqual(['segment.save']);
    const since = await call(
      dpo,
      'GET',
      `/api/orgs/${orgId}/audit?action=segment.update&since=2026-11-25`,
    );
    expect(since.body.items).toHaveLength(1);
    // Reading the log is itself recorded.
    const reads = await call(dpo, 'GET', `/api/orgs/${orgId}/audit?action=audit.read`);
    expect(reads.body.items.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses unknown filters, and the log to roles other than the DPO and the owner', async () => {
    const bad = await call(dpo, 'GET', `/api/orgs/${orgId}/audit?who=me`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown filter who/);
    expect((await call(manager, 'GET', `/api/orgs/${orgId}/audit`)).status).toBe(403);
  });
});
