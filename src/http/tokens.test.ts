// SEC-1: a token narrows access and never widens it, even when it is a token that makes one;
// nobody changes their own role; administrator powers stay off organisation tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { callerOf, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApiToken } from '../domain/access/api-tokens.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let manager: Staff;
let owner: Staff;

beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  orgId = (await makeOrg(s)).id;
  manager = await makeStaff(s, orgId, 'manager');
  owner = await makeStaff(s, orgId, 'owner');
});
afterAll(() => s.dispose());

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

describe('API tokens (SEC-1)', () => {
  it("keeps a token's tokens within its scopes, organisation and expiry", async () => {
    const narrow = await createApiToken(s.db, {
      userId: manager.userId,
      input: {
        label: 'counts only',
        orgId,
        scopes: ['token.create', 'segment.count'],
        expiresInDays: 7,
      },
      actor: 'test',
    });
    const asNarrow = { token: narrow.token };
    const wider = await call(asNarrow, 'POST', `/api/orgs/${orgId}/tokens`, {
      label: 'wider',
      scopes: ['segment.preview_identifiers'],
      expiresInDays: 1,
    });
    expect(wider.status).toBe(403);
    expect(wider.body.error.message).toMatch(/segment.preview_identifiers is beyond/);
    const longer = await call(asNarrow, 'POST', `/api/orgs/${orgId}/tokens`, {
      label: 'longer',
      scopes: ['segment.count'],
      expiresInDays: 30,
    });
    expect(longer.status).toBe(400);
    expect(longer.body.error.message).toMatch(/expire no later/);
    const within = await call(asNarrow, 'POST', `/api/orgs/${orgId}/tokens`, {
      label: 'within',
      scopes: ['segment.count'],
      expiresInDays: 3,
    });
    expect(within.status).toBe(201);
    expect(within.body.scopes).toEqual(['segment.count']);
  });

  it('refuses administrator permissions on a token tied to an organisation', async () => {
    await expect(
      createApiToken(s.db, {
        userId: owner.userId,
        input: { label: 'x', orgId, scopes: ['user.admin'] },
        actor: 'test',
      }),
    ).rejects.toThrow(/administrator permissions go on a token without an organisation/);
  });

  it("refuses a change of one's own role", async () => {
    const other = await makeStaff(s, orgId, 'owner');
    const self = await call(owner, 'PATCH', `/api/orgs/${orgId}/users/${owner.userId}`, {
      role: 'dpo',
    });
    expect(self.status).toBe(403);
    expect(self.body.error.rule).toBe('SEC-1');
    expect(
      (await call(other, 'PATCH', `/api/orgs/${orgId}/users/${manager.userId}`, { role: 'viewer' }))
        .status,
    ).toBe(200);
  });

  it("shows an owner who adds an existing account only that account's role here", async () => {
    const elsewhere = (await makeOrg(s, { legalName: 'Ailleurs' })).id;
    const person = await makeStaff(s, elsewhere, 'manager');
    const added = await call(owner, 'POST', `/api/orgs/${orgId}/users`, {
      email: person.email,
      displayName: 'Person',
      role: 'viewer',
    });
    expect(added.status).toBe(201);
    expect(added.body.user.memberships).toEqual([{ orgId, role: 'viewer' }]);
    expect(JSON.stringify(added.body)).not.toContain(elsewhere);
  });
});
