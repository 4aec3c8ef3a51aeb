// SEC-1: every route of the API, tried by every role (and by nobody, and by a revoked token), on
// its own organisation and on another one. Generated from the app's route table, so a new route
// is covered, and a route without a declared permission fails here.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir, writeCsv } from '../../test/files.ts';
import { makeAdmin, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createRightsRequest } from '../domain/rights/requests.ts';
import { revokeApiToken, listApiTokens } from '../domain/access/api-tokens.ts';
import {
  isAdminPermission,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Role,
} from '../domain/access/permissions.ts';
import { createAssignment, TASK_FIELDS } from '../domain/assignments/assignments.ts';
import { recordConsent } from '../domain/consent/consent.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { importContacts } from '../domain/contacts/import/import-contacts.ts';
import { decideExport, requestExport } from '../domain/exports/exports.ts';
import { createCampaign } from '../domain/outreach/campaigns.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';
import type { Requirement } from './permit.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
const files = tempDir();

type OrgFixture = {
  orgId: string;
  staff: Record<Role, Staff>;
  params: Record<string, string>;
  /** Every id of this organisation's data, to search responses for leaks. */
  ids: string[];
  assignmentContacts: string[];
};

async function orgFixture(name: string): Promise<OrgFixture> {
  const org = await makeOrg(s, { legalName: name });
  const staff = {} as Record<Role, Staff>;
  for (const role of ROLES) staff[role] = await makeStaff(s, org.id, role);
  // Their tokens list every permission (as if made before a demotion), so that what must refuse
  // below is the role itself; narrowing by a token's scopes is tested apart.
  await s.db.execute(
    sql`update api_tokens set scopes = ${`{${PERMISSIONS.join(',')}}`}::text[] where org_id = ${org.id}`,
  );
  const target = await makeStaff(s, org.id, 'viewer');
  const [targetToken] = await listApiTokens(s.db, { userId: target.userId });
  const election = await makeElection(s, org.id);
  const source = await makeSource(s, org.id, { type: 'member_file' });
  const contactIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: source.id,
      identity: {
        birthName: `Nom${i}`,
        firstNames: `Prénom${i}`,
        email: `p${i}@${name.toLowerCase()}.example`,
        phone: `+3361234567${i}`,
        streetAddress: `${i} rue de la Paix`,
      },
      attributes: { birthYear: 1970 + i, communeCode: '69123', postalCode: '69001' },
      actor: 'test',
    });
    contactIds.push(id);
  }
  const csv = writeCsv(files.file(`${name}.csv`), [
    ['Nom', 'Prénom', 'Email'],
    ['Durand', 'Anne', 'anne@exemple.fr'],
    ['Martin', 'Paul', 'not an email'],
  ]);
  const imported = await importContacts(s.db, {
    keys: s.keys,
    sourceId: source.id,
    file: csv,
    fileName: 'members.csv',
    mapping: [],
    actor: 'test',
    clock: s.clock,
  });
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  const assignment = await createAssignment(s.db, {
    orgId: org.id,
    input: {
      volunteerId: staff.volunteer.userId,
      task: 'phoning',
      segmentId: segment.id,
      label: 'Soirée de phoning',
      limit: 2,
    },
    actor: 'test',
  });
  const assigned = (await s.db.execute(
    sql`select contact_id from assignment_contacts where assignment_id = ${assignment.id} order by contact_id`,
  )) as unknown as { rows: { contact_id: string }[] };
  const request = await requestExport(s.db, {
    orgId: org.id,
    userId: staff.manager.userId,
    input: { segmentId: segment.id, format: 'csv', reason: 'Envoi postal' },
    actor: 'test',
    clock: s.clock,
  });
  await decideExport(s.db, {
    exportId: request.id,
    userId: staff.dpo.userId,
    approve: true,
    input: {},
    actor: 'test',
    clock: s.clock,
  });
  const campaign = await createCampaign(s.db, {
    orgId: org.id,
    input: {
      segmentId: segment.id,
      fromName: name,
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Réunion',
      body: 'Bonjour',
    },
    actor: 'test',
    clock: s.clock,
  });
  const params = {
    orgId: org.id,
    campaignId: campaign.id,
    electionId: election.id,
    sourceId: source.id,
    importId: imported.importId,
    segmentId: segment.id,
    assignmentId: assignment.id,
    exportId: request.id,
    userId: target.userId,
    tokenId: targetToken!.id,
    // The people routes (issue 15); erased last by the owner's own call, which answers 200.
    contactId: contactIds[3]!,
    // The DPO's queue (issue 15): a rights request of this organisation.
    requestId: (
      await createRightsRequest(s.db, {
        keys: s.keys,
        clock: s.clock,
        orgId: org.id,
        input: { kind: 'rectification', email: `p0@${name.toLowerCase()}.example`, details: 'Nom' },
        client: 'test',
      })
    ).id,
  };
  return {
    orgId: org.id,
    staff,
    params,
    ids: [...Object.values(params), ...contactIds],
    assignmentContacts: assigned.rows.map((r) => r.contact_id),
  };
}

let own: OrgFixture;
let other: OrgFixture;
let admin: Staff;
let revoked: Staff;

type Route = { method: string; path: string; requirement: Requirement | undefined };

/** The app's routes, each with the requirement its first handler declares. */
function routes(): Route[] {
  const seen = new Map<string, Route>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue; // the first handler of a route is the one that must permit
    const requirement = (r.handler as { requirement?: Requirement }).requirement;
    seen.set(key, { method: r.method, path: r.path, requirement });
  }
  return [...seen.values()];
}

const fill = (path: string, params: Record<string, string>) =>
  path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`no fixture for :${name} in ${path}`);
    return value;
  });

async function call(method: string, path: string, token: string | null) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
  if (body) headers['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers, body });
  return { status: res.status, text: await res.text() };
}

/** A fingerprint of everything stored: row counts of every table (audit log included). */
async function storedState(): Promise<string> {
  const tables = (await s.db.execute(
    sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
  )) as unknown as { rows: { table_name: string }[] };
  const counts: string[] = [];
  for (const { table_name } of tables.rows) {
    const r = (await s.db.execute(
      sql.raw(`select count(*)::int as n from "${table_name}"`),
    )) as unknown as { rows: { n: number }[] };
    counts.push(`${table_name}=${r.rows[0]!.n}`);
  }
  const revokedNow = (await s.db.execute(
    sql`select count(*)::int as n from api_tokens where revoked_at is not null`,
  )) as unknown as { rows: { n: number }[] };
  const disabled = (await s.db.execute(
    sql`select count(*)::int as n from users where disabled_at is not null`,
  )) as unknown as { rows: { n: number }[] };
  const exportsState = (await s.db.execute(
    sql`select string_agg(status, ',' order by id) as s from export_requests`,
  )) as unknown as { rows: { s: string }[] };
  return [...counts, revokedNow.rows[0]!.n, disabled.rows[0]!.n, exportsState.rows[0]!.s].join(' ');
}

const allows = (role: Role, requirement: Requirement) =>
  !isAdminPermission(requirement) && ROLE_PERMISSIONS[role].includes(requirement as Permission);

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  app = createApp(s);
  admin = await makeAdmin(s);
  own = await orgFixture('Own');
  other = await orgFixture('Other');
  revoked = await makeStaff(s, own.orgId, 'owner');
  const [token] = await listApiTokens(s.db, { userId: revoked.userId });
  await revokeApiToken(s.db, { tokenId: token!.id, actor: 'test' });
}, 120_000);
afterAll(async () => {
  await s.dispose();
  files.remove();
});

describe('access control over every route (SEC-1)', () => {
  it('declares a permission as the first handler of every route', () => {
    const undeclared = routes().filter((r) => r.requirement === undefined);
    expect(undeclared.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(routes().length).toBeGreaterThan(40);
  });

  it("gives a volunteer only their assignment's contacts, with only the task's fields", async () => {
    const volunteer = own.staff.volunteer;
    const res = await app.request(`/api/assignments/${own.params.assignmentId}/contacts`, {
      headers: { authorization: `Bearer ${volunteer.token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    expect(body.items).toHaveLength(2);
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual([...TASK_FIELDS.phoning].sort());
      expect(own.assignmentContacts).toContain(item.contactId);
      expect(JSON.stringify(item)).not.toMatch(/@|rue de la Paix/);
    }
    // Someone who withdraws from phone calls leaves the volunteer's list at once.
    await recordConsent(s.db, {
      orgId: own.orgId,
      contactId: own.assignmentContacts[0]!,
      entry: { channel: 'phone', action: 'withdrawn', method: 'phone_call' },
      actor: 'test',
      clock: s.clock,
    });
    const after = await app.request(`/api/assignments/${own.params.assignmentId}/contacts`, {
      headers: { authorization: `Bearer ${volunteer.token}` },
    });
    const afterBody = (await after.json()) as { items: { contactId: string }[] };
    expect(afterBody.items.map((i) => i.contactId)).toEqual([own.assignmentContacts[1]]);
    // Another volunteer of the same organisation does not see it.
    const colleague = await makeStaff(s, own.orgId, 'volunteer');
    const theirs = await app.request(`/api/assignments/${own.params.assignmentId}/contacts`, {
      headers: { authorization: `Bearer ${colleague.token}` },
    });
    expect(theirs.status).toBe(404);
  });
  it('lets nobody, a revoked token or a role without the permission read or write anything', async () => {
    const before = await storedState();
    const refusals: string[] = [];
    const wrong: string[] = [];
    for (const route of routes()) {
      if (route.requirement === 'public') continue;
      for (const fixture of [own, other]) {
        const path = fill(route.path, fixture.params);
        for (const [who, token] of [
          ['anonymous', null],
          ['revoked token', revoked.token],
          ['forged token', 'iso_forged'],
        ] as const) {
          const res = await call(route.method, path, token);
          if (res.status !== 401) wrong.push(`${who} ${route.method} ${path}: ${res.status}`);
        }
        if (route.requirement === 'session') {
          // Sessions only: a token, whatever its role, cannot sign in, enrol or change a password.
          for (const role of ROLES) {
            const res = await call(route.method, path, own.staff[role].token);
            if (res.status !== 403)
              wrong.push(`${role} token ${route.method} ${path}: ${res.status}`);
          }
          continue;
        }
        if (route.requirement === 'signed_in') continue;
        for (const role of ROLES) {
          const staff = own.staff[role];
          const mayHere = fixture === own && allows(role, route.requirement!);
          if (mayHere) continue;
          const res = await call(route.method, path, staff.token);
          refusals.push(`${role} ${route.method} ${route.path}`);
          const expected = fixture === other ? [403, 404] : [403];
          if (!expected.includes(res.status))
            wrong.push(
              `${role} ${route.method} ${path} (${fixture === own ? 'own' : 'other'} org): ${res.status}`,
            );
          // Nothing of the other organisation comes back, not even in an error.
          for (const id of other.ids)
            if (res.text.includes(id)) wrong.push(`${role} ${route.method} ${path} leaks ${id}`);
        }
        // An administrator who is not a member of either organisation sees neither.
        if (!isAdminPermission(route.requirement!)) {
          const res = await call(route.method, path, admin.token);
          if (![403, 404].includes(res.status))
            wrong.push(`admin ${route.method} ${path}: ${res.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(refusals.length).toBeGreaterThan(200);
    expect(await storedState()).toBe(before);
  }, 300_000);

  it('lets each role through where its permission allows, and shows signed-in lists only of its own', async () => {
    const wrong: string[] = [];
    // Deletions last, so that they do not remove what the other calls use.
    const ordered = routes().sort(
      (a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
    );
    for (const route of ordered) {
      if (route.requirement === 'public' || route.requirement === 'session') continue;
      const path = fill(route.path, own.params);
      for (const role of ROLES) {
        const requirement = route.requirement!;
        const signedIn = requirement === 'signed_in';
        if (!signedIn && !allows(role, requirement)) continue;
        const res = await call(route.method, path, own.staff[role].token);
        if ([401, 403].includes(res.status) || res.status >= 500)
          wrong.push(`${role} ${route.method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
        for (const id of other.ids)
          if (res.text.includes(id)) wrong.push(`${role} ${route.method} ${path} leaks ${id}`);
      }
      if (isAdminPermission(route.requirement!)) {
        const res = await call(route.method, fill(route.path, other.params), admin.token);
        if ([401, 403].includes(res.status) || res.status >= 500)
          wrong.push(`admin ${route.method} ${route.path}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
