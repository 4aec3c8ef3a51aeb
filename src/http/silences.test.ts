// CAL-1 over HTTP: the composer's list of declared silences (every election of the organisation,
// in each zone where it reaches someone), and a volunteer's list emptied during one, with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { callerOf, makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createAssignment } from '../domain/assignments/assignments.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let now = new Date('2027-03-10T10:00:00Z');

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  app = createApp(s);
});
afterAll(() => s.dispose());

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

describe('GET /api/orgs/:orgId/silences', () => {
  it('CAL-1: lists every election’s silence in Paris and in the zones of the organisation’s contacts, then the volunteer list is empty with the reason', async () => {
    const orgId = (await makeOrg(s)).id;
    const national = await makeElection(s, orgId, {
      name: 'Municipales 2027',
      round1: '2027-03-14',
      round2: '2027-03-21',
      territory: [],
    });
    await makeElection(s, orgId, {
      name: 'Partielle de Nouméa',
      round1: '2027-05-02',
      round2: undefined,
      territory: ['98818'],
    });
    await makeElection(s, orgId, {
      name: 'Passée',
      round1: '2026-03-15',
      round2: undefined,
      territory: [],
    });
    const source = await makeSource(s, orgId, { type: 'member_file' });
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: 'X', phone: '+262692123456' },
      attributes: { communeCode: '97411' },
      actor: 'test',
    });
    const viewer = await makeStaff(s, orgId, 'viewer');
    const res = await call(viewer, 'GET', `/api/orgs/${orgId}/silences`);
    expect(res.status).toBe(200);
    const silences = res.body.silences as Record<string, unknown>[];
    expect(silences.map((x) => [x.name, x.voteDate, x.timeZone])).toEqual([
      ['Municipales 2027', '2027-03-14', 'Indian/Reunion'],
      ['Municipales 2027', '2027-03-14', 'Europe/Paris'],
      ['Municipales 2027', '2027-03-21', 'Indian/Reunion'],
      ['Municipales 2027', '2027-03-21', 'Europe/Paris'],
      ['Partielle de Nouméa', '2027-05-02', 'Pacific/Noumea'],
      ['Partielle de Nouméa', '2027-05-02', 'Europe/Paris'],
    ]);
    expect(silences[1]).toEqual({
      rule: 'CAL-1',
      electionId: national.id,
      name: 'Municipales 2027',
      voteDate: '2027-03-14',
      from: '2027-03-12T23:00:00.000Z',
      until: '2027-03-14T19:00:00.000Z',
      timeZone: 'Europe/Paris',
      territory: [],
    });
    expect(silences[0]).toMatchObject({
      from: '2027-03-12T20:00:00.000Z',
      until: '2027-03-14T16:00:00.000Z',
    });

    const volunteer = await makeStaff(s, orgId, 'volunteer');
    const segment = await saveSegment(s.db, {
      orgId,
      input: { name: 'Tous', where: { and: [] } },
      actor: 'test',
    });
    const assignment = await createAssignment(s.db, {
      orgId,
      input: {
        volunteerId: volunteer.userId,
        task: 'phoning',
        segmentId: segment.id,
        label: 'Appels',
        limit: 10,
      },
      actor: 'test',
      clock: s.clock,
    });
    const list = () => call(volunteer, 'GET', `/api/assignments/${assignment.id}/contacts`);
    expect((await list()).body.items).toHaveLength(1);
    now = new Date('2027-03-13T10:00:00Z');
    const during = await list();
    expect(during.status).toBe(200);
    expect(during.body.items).toEqual([]);
    expect(during.body.silences).toEqual([
      expect.objectContaining({
        rule: 'CAL-1',
        name: 'Municipales 2027',
        until: '2027-03-14T16:00:00.000Z',
        timeZone: 'Indian/Reunion',
      }),
    ]);
  });
});
