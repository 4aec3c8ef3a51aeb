// Staff accounts and tokens for tests: a person with a role in some organisations, and a token
// carrying every permission of that role (tokens skip the sign-in, so no second factor here).
import { randomUUID } from 'node:crypto';
import { createApiToken } from '../src/domain/access/api-tokens.ts';
import {
  ADMIN_PERMISSIONS,
  ROLE_PERMISSIONS,
  type Role,
} from '../src/domain/access/permissions.ts';
import { createUser } from '../src/domain/access/users.ts';
import { createOrganisation } from '../src/domain/organisations/organisations.ts';
import type { Services } from '../src/services.ts';
import { orgInput } from './factories.ts';

export type Staff = { userId: string; email: string; password: string; token: string };

export const TEST_PASSWORD = 'correct horse battery staple';

export async function makeStaff(
  s: Services,
  orgId: string,
  role: Role,
  options: { email?: string; tokenOrgId?: string | null } = {},
): Promise<Staff> {
  const email = options.email ?? `${role}-${randomUUID().slice(0, 8)}@staff.example`;
  const { user } = await createUser(s.db, {
    input: { email, displayName: `Test ${role}`, password: TEST_PASSWORD, orgId, role },
    actor: 'test',
  });
  const { token } = await createApiToken(s.db, {
    userId: user.id,
    input: {
      label: `test ${role}`,
      scopes: [...ROLE_PERMISSIONS[role]],
      orgId: options.tokenOrgId === undefined ? orgId : options.tokenOrgId,
    },
    actor: 'test',
  });
  return { userId: user.id, email, password: TEST_PASSWORD, token };
}

/** Adds an existing staff member to another organisation. */
export async function addToOrg(s: Services, staff: Staff, orgId: string, role: Role = 'owner') {
  await createUser(s.db, {
    input: { email: staff.email, displayName: 'Test', orgId, role },
    actor: 'test',
  });
}

export const bearer = (staff: Staff) => ({ authorization: `Bearer ${staff.token}` });

/**
 * The installation's first administrator, owner of a first organisation, with a token that holds
 * the administrator's and the owner's permissions in every organisation they join or create.
 */
export async function makeAdmin(s: Services): Promise<Staff & { orgId: string }> {
  const email = `admin-${randomUUID().slice(0, 8)}@staff.example`;
  const { user } = await createUser(s.db, {
    input: { email, displayName: 'Test admin', password: TEST_PASSWORD, admin: true },
    actor: 'test',
  });
  const org = await createOrganisation(s.db, {
    keys: s.keys,
    input: orgInput({ legalName: 'Organisation of the administrator' }),
    actor: 'test',
    ownerUserId: user.id,
  });
  const { token } = await createApiToken(s.db, {
    userId: user.id,
    input: {
      label: 'test admin',
      scopes: [...ADMIN_PERMISSIONS, ...ROLE_PERMISSIONS.owner],
      orgId: null,
    },
    actor: 'test',
  });
  return { userId: user.id, email, password: TEST_PASSWORD, token, orgId: org.id };
}

/** Calls an app in-process as a staff member (bearer token); JSON in, JSON (or raw bytes) out. */
export function callerOf(app: {
  request: (path: string, init: RequestInit) => Response | Promise<Response>;
}) {
  return async (who: Pick<Staff, 'token'>, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${who.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = Buffer.from(await res.arrayBuffer());
    const json = (res.headers.get('content-type') ?? '').includes('json');
    const parsed: any = json ? JSON.parse(raw.toString()) : undefined;
    return { status: res.status, headers: res.headers, raw, body: parsed };
  };
}
