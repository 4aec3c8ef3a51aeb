// Counts checked against a small population whose answers are worked out by hand.
// Ages are at the reference date 2026-11-24: age = 2026 - birth year.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeElection, makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { segments } from '../../db/schema/index.ts';
import { recordConsent } from '../consent/consent.ts';
import { addContact } from '../contacts/contacts.ts';
import { DomainError } from '../errors.ts';
import { countSegment } from './count.ts';
import {
  countSavedSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  saveSegment,
  updateSegment,
} from './segments.ts';

let s: TestServices;
let orgId: string;
const ids: Record<string, string> = {};
const at = new Date('2026-11-24T10:00:00Z');
let electionId: string;
let memberSourceId: string;

const political = "J'accepte de recevoir des messages politiques";

beforeAll(async () => {
  s = await openTestServices({ clock: () => at });
  orgId = (await makeOrg(s)).id;
  electionId = (await makeElection(s, orgId)).id;
  const electoral = await makeSource(s, orgId, { type: 'electoral_list', electionId });
  const members = await makeSource(s, orgId, { type: 'member_file' });
  memberSourceId = members.id;
  const bought = await makeSource(s, orgId, { type: 'purchased_file', attestation });
  const add = async (name: string, sourceId: string, identity: object, attributes: object) => {
    ids[name] = (
      await addContact(s.db, {
        keys: s.keys,
        orgId,
        sourceId,
        identity: { birthName: name, ...identity },
        attributes,
        actor: 'test',
      })
    ).id;
  };
  const consent = (name: string, channel: string, action: 'granted' | 'withdrawn') =>
    recordConsent(s.db, {
      orgId,
      contactId: ids[name]!,
      actor: 'test',
      clock: s.clock,
      entry:
        action === 'granted'
          ? {
              channel,
              action,
              wording: political,
              method: 'file',
              place: 'fichier loué',
              evidence: 'FE-1',
            }
          : { channel, action, method: 'unsubscribe_link' },
    });
  // prettier-ignore
  {
  await add('A', electoral.id, { streetAddress: '1 rue A' }, { sex: 'F', birthYear: 1950, communeCode: '69383', postalCode: '69003', pollingStation: '0312', csp: '3' });
  await add('B', electoral.id, { streetAddress: '2 rue B' }, { sex: 'M', birthYear: 1980, communeCode: '69123', postalCode: '69001', pollingStation: '0101', csp: '5' });
  await add('C', members.id, { email: 'c@exemple.fr', phone: '+33600000003' }, { sex: 'F', birthYear: 1990, communeCode: '13055', postalCode: '13001', pollingStation: '0001', csp: '2' });
  await add('D', bought.id, { email: 'd@exemple.fr', phone: '+33600000004' }, { sex: 'M', birthYear: 2000, communeCode: '75102', postalCode: '75002' });
  await add('E', members.id, { email: 'e@exemple.fr', phone: '+33600000005', streetAddress: '5 cours E' }, { sex: 'F', birthYear: 1970, communeCode: '2A004', postalCode: '20000' });
  await add('F', bought.id, { email: 'f@exemple.fr', phone: '+262692000006', streetAddress: '6 rue F' }, { sex: 'M', birthYear: 1960, communeCode: '97411', postalCode: '97400' });
  }
  await consent('D', 'email', 'granted');
  await consent('E', 'email', 'withdrawn');
  await consent('F', 'email', 'granted');
  // F objects: an objection withdraws every channel (OPT-1).
  for (const channel of ['email', 'sms', 'phone', 'post']) await consent('F', channel, 'withdrawn');

  // Another organisation with a twin population must never count.
  const other = await makeOrg(s);
  const otherSource = await makeSource(s, other.id, { type: 'member_file' });
  await addContact(s.db, {
    keys: s.keys,
    orgId: other.id,
    sourceId: otherSource.id,
    identity: { birthName: 'Z', email: 'z@exemple.fr' },
    attributes: { sex: 'F', birthYear: 1950, communeCode: '69383' },
    actor: 'test',
  });
});
afterAll(() => s.dispose());

const count = (where: unknown) => countSegment(s.db, { orgId, where, at });
const total = async (where: unknown) => (await count(where)).total;

describe('segment counts (SEG-1)', () => {
  it('counts everyone of this organisation only (SEG-3) and who each channel may lawfully reach', async () => {
    expect(await count({ and: [] })).toEqual({
      total: 6,
      reachable: { email: 2, sms: 2, phone: 2, post: 3 },
    });
  });

  it.each([
    [{ field: 'age', op: 'between', value: [30, 50] }, 2],
    [{ field: 'age', op: 'gte', value: 60 }, 2],
    [{ field: 'age', op: 'lte', value: 30 }, 1],
    [{ field: 'age', op: 'eq', value: 56 }, 1],
    [{ field: 'age', op: 'in', value: [26, 36] }, 2],
    [{ field: 'birthYear', op: 'eq', value: 1950 }, 1],
    [{ field: 'sex', op: 'eq', value: 'F' }, 3],
    [{ field: 'commune', op: 'eq', value: '69123' }, 2],
    [{ field: 'commune', op: 'eq', value: '69383' }, 1],
    [{ field: 'department', op: 'eq', value: '69' }, 2],
    [{ field: 'department', op: 'in', value: ['2A', '974'] }, 2],
    [{ field: 'region', op: 'eq', value: '84' }, 2],
    [{ field: 'region', op: 'eq', value: '93' }, 1],
    [{ field: 'postalCode', op: 'between', value: ['69000', '69999'] }, 2],
    [{ field: 'pollingStation', op: 'in', value: ['0312', '0101'] }, 2],
    [{ field: 'csp', op: 'eq', value: '3' }, 1],
    [{ field: 'sourceType', op: 'eq', value: 'member_file' }, 2],
    [{ field: 'sourceType', op: 'in', value: ['electoral_list', 'purchased_file'] }, 4],
    [{ field: 'consent.email', op: 'eq', value: true }, 1],
    [{ field: 'consent.email', op: 'eq', value: false }, 5],
    [{ not: { field: 'sex', op: 'eq', value: 'F' } }, 3],
    [
      {
        or: [
          { field: 'commune', op: 'eq', value: '69123' },
          { field: 'department', op: 'eq', value: '2A' },
        ],
      },
      3,
    ],
    [
      {
        and: [
          { field: 'sex', op: 'eq', value: 'F' },
          { field: 'age', op: 'gte', value: 50 },
        ],
      },
      2,
    ],
  ])('%j selects %i', async (where, expected) => {
    expect(await total(where)).toBe(expected);
  });

  it('filters by source and by election', async () => {
    expect(await total({ field: 'source', op: 'eq', value: memberSourceId })).toBe(2);
    expect(await total({ field: 'election', op: 'eq', value: electionId })).toBe(2);
  });

  it('excludes objectors and contacts without the consent a channel needs', async () => {
    // D: bought file with email consent -> email yes; SMS and calls no: a purchased number needs
    // the channel's own consent (SRC-3).
    expect((await count({ field: 'birthYear', op: 'eq', value: 2000 })).reachable).toEqual({
      email: 1,
      sms: 0,
      phone: 0,
      post: 0,
    });
    // E: member who withdrew email -> SMS still (relationship), email no.
    expect((await count({ field: 'birthYear', op: 'eq', value: 1970 })).reachable).toEqual({
      email: 0,
      sms: 1,
      phone: 1,
      post: 1,
    });
    // F: objected -> nothing, though consent was granted before.
    expect((await count({ field: 'birthYear', op: 'eq', value: 1960 })).reachable).toEqual({
      email: 0,
      sms: 0,
      phone: 0,
      post: 0,
    });
  });
});

describe('the targeting firewall (SEG-2)', () => {
  it.each([
    'surname',
    'lastName',
    'firstName',
    'birthName',
    'birthplace',
    'countryOfBirth',
    'nationality',
    'religion',
    'health',
    'unionMembership',
    'ethnicOrigin',
  ])('refuses a filter on %s, even nested under not', async (field) => {
    const forbidden = { field, op: 'eq', value: 'x' };
    for (const where of [forbidden, { and: [{ or: [{ not: forbidden }] }] }]) {
      const error = await count(where).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'refused', rule: 'SEG-2' });
      expect((error as Error).message).toContain(`"${field}"`);
    }
  });

  it('refuses unknown fields, operators and values with what is allowed', async () => {
    await expect(count({ field: 'shoeSize', op: 'eq', value: 42 })).rejects.toThrow(
      /unknown field "shoeSize"; fields are age/,
    );
    await expect(count({ field: 'sex', op: 'gte', value: 'F' })).rejects.toThrow(
      /"gte" is not an operator for sex; use eq, in/,
    );
    await expect(count({ field: 'commune', op: 'eq', value: '99999' })).rejects.toThrow(
      /is not an INSEE commune code/,
    );
    await expect(count({ field: 'age', op: 'between', value: [60, 30] })).rejects.toThrow(
      /low \(60\) is above high/,
    );
    await expect(count({ sql: 'true; drop table contacts' })).rejects.toThrow(/unknown node/);
    await expect(count({ field: 'age', op: 'eq', value: '1 or 1=1' })).rejects.toMatchObject({
      code: 'invalid',
    });
  });
});

describe('saved segments', () => {
  it('are saved, listed, counted, updated and deleted, checked each time', async () => {
    const saved = await saveSegment(s.db, {
      orgId,
      actor: 'test',
      input: { name: 'Lyonnais', where: { field: 'commune', op: 'eq', value: '69123' } },
    });
    expect((await listSegments(s.db, { orgId })).map((x) => x.id)).toContain(saved.id);
    expect((await countSavedSegment(s.db, { segmentId: saved.id, at })).total).toBe(2);
    await updateSegment(s.db, {
      segmentId: saved.id,
      actor: 'test',
      input: { name: 'Corses', where: { field: 'department', op: 'eq', value: '2A' } },
    });
    expect((await countSavedSegment(s.db, { segmentId: saved.id, at })).total).toBe(1);
    await expect(
      saveSegment(s.db, {
        orgId,
        actor: 'test',
        input: { name: 'x', where: { field: 'nationality', op: 'eq', value: 'FR' } },
      }),
    ).rejects.toMatchObject({ rule: 'SEG-2' });
    await deleteSegment(s.db, { segmentId: saved.id, actor: 'test' });
    await expect(getSegment(s.db, { segmentId: saved.id })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses to use a stored segment whose filter the policy forbids', async () => {
    const id = randomUUID();
    await s.db.insert(segments).values({
      id,
      orgId,
      name: 'old',
      filter: { field: 'surname', op: 'eq', value: 'X' },
      createdBy: 'test',
    });
    await expect(countSavedSegment(s.db, { segmentId: id, at })).rejects.toMatchObject({
      rule: 'SEG-2',
    });
  });
});

describe('preview', () => {
  it('shows identifiers only to callers allowed to see them', async () => {
    const where = { field: 'sex', op: 'eq', value: 'F' };
    const plain = await previewSegment(s.db, {
      orgId,
      where,
      keys: s.keys,
      withIdentifiers: false,
      limit: 5,
    });
    expect(plain).toHaveLength(3);
    expect(plain.every((r) => r.identity === undefined && r.sex === 'F')).toBe(true);
    const full = await previewSegment(s.db, {
      orgId,
      where,
      keys: s.keys,
      withIdentifiers: true,
      limit: 2,
    });
    expect(full).toHaveLength(2);
    expect(full[0]!.identity?.birthName).toMatch(/^[ACE]$/);
  });
});
