// Issue 15, item 5, over HTTP: owners and DPOs search people (in the body, never the URL), read
// a contact's record, correct a field and erase; managers, volunteers and viewers never (SEC-1).
// A correction to an objector's address is refused with its rule, and the refusal is audited.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { callerOf, makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { recordObjection } from '../domain/objections/objections.ts';
import { createApp } from './app.ts';

let s: TestServices;
let call: ReturnType<typeof callerOf>;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  call = callerOf(createApp(s));
});
afterAll(() => s.dispose());

describe('people over HTTP', () => {
  it('lets the owner and the DPO search, read, correct and erase, and nobody else (SEC-1, SRC-8)', async () => {
    const orgId = (await makeOrg(s)).id;
    const source = await makeSource(s, orgId, { type: 'member_file' });
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: 'Bernard', firstNames: 'Alice', email: 'alice@exemple.fr' },
      actor: 'test',
    });
    await recordObjection(s.db, {
      keys: s.keys,
      orgId,
      input: { email: 'objector@exemple.fr', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    const search = `/api/orgs/${orgId}/contacts/search`;
    for (const role of ['manager', 'volunteer', 'viewer'] as const) {
      const staff = await makeStaff(s, orgId, role);
      expect((await call(staff, 'POST', search, { email: 'alice@exemple.fr' })).status).toBe(403);
      expect((await call(staff, 'GET', `/api/contacts/${id}`)).status).toBe(403);
    }
    const owner = await makeStaff(s, orgId, 'owner');
    const dpo = await makeStaff(s, orgId, 'dpo');
    const found = await call(owner, 'POST', search, { email: 'alice@exemple.fr' });
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { contactId: string }) => i.contactId)).toEqual([id]);

    const record = await call(dpo, 'GET', `/api/contacts/${id}`);
    expect(record.status).toBe(200);
    expect(Object.keys(record.body).sort()).toEqual(
      [
        'assignments',
        'attributes',
        'consent',
        'id',
        'identity',
        'messages',
        'provenance',
        'rectifications',
        'requests',
      ].sort(),
    );

    const refused = await call(dpo, 'PATCH', `/api/contacts/${id}`, {
      field: 'email',
      value: 'objector@exemple.fr',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ rule: 'SRC-8', key: 'contact.rectify_suppressed' });
    expect(JSON.stringify(refused.body)).not.toContain('objector');
    const refusals = (await s.db.execute(
      sql`select summary from audit_events where action = 'policy.refuse' and org_id = ${orgId}`,
    )) as unknown as { rows: { summary: unknown }[] };
    expect(JSON.stringify(refusals.rows)).toContain('SRC-8');

    const fixed = await call(dpo, 'PATCH', `/api/contacts/${id}`, {
      field: 'firstNames',
      value: 'Alice Marie',
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ id, field: 'firstNames', sourceKept: true });

    // SRC-3: an address typed by staff with no rectification request behind it has no source;
    // a request that is not this person's confirmed rectification is refused, with its key.
    const access = randomUUID();
    await s.db.execute(sql`
      insert into rights_requests (id, org_id, kind, channel, identifier_index, identifier, status,
        received_at, due_at, contact_ids)
      values (${access}, ${orgId}, 'access', 'email', ${randomBytes(32)}, ${randomBytes(32)},
        'answered', now(), now() + interval '1 month', ${`{${id}}`}::uuid[])`);
    const wrong = await call(dpo, 'PATCH', `/api/contacts/${id}`, {
      field: 'email',
      value: 'alice.b@exemple.fr',
      requestId: access,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ key: 'contact.request_not_rectification' });
    const typed = await call(dpo, 'PATCH', `/api/contacts/${id}`, {
      field: 'email',
      value: 'alice.b@exemple.fr',
    });
    expect(typed.status).toBe(200);
    expect(typed.body).toMatchObject({ field: 'email', sourceKept: false });

    const erased = await call(dpo, 'POST', `/api/contacts/${id}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.body.erased).toBe(1);
    expect((await call(dpo, 'GET', `/api/contacts/${id}`)).status).toBe(404);
    expect((await call(owner, 'POST', search, { email: 'alice.b@exemple.fr' })).body.items).toEqual(
      [],
    );
  });
});
