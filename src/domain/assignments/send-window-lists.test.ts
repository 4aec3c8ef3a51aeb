// CH-HOURS on volunteers' phoning lists: a number is shown only while its owner is inside the send
// window in their own time zone (21:30 in Paris is 00:30 in La Réunion), and the volunteer sees
// why the others are missing and until when. Door-to-door is not CH-HOURS. The zone comes from the
// commune code, or else from the postal code (CAL-1: purchased files often have only that).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../test/factories.ts';
import { makeStaff } from '../../../test/staff.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { saveSegment } from '../segments/segments.ts';
import { createAssignment, readAssignedContacts, type Task } from './assignments.ts';

/** Tuesday 24 November 2026, 20:30 UTC: 21:30 in Paris, 16:30 in Guadeloupe, 00:30 in Réunion. */
const EVENING = new Date('2026-11-24T20:30:00Z');
const MORNING = new Date('2026-11-25T05:00:00Z'); // 09:00 in Réunion, 06:00 in Paris

let now = EVENING;
let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
});
afterAll(() => s.dispose());

type Place = { communeCode?: string; postalCode?: string };
const PEOPLE: Record<string, Place> = {
  paris: { communeCode: '75056' },
  guadeloupe: { communeCode: '97105' },
  reunion: { communeCode: '97411' },
  reunionByPostcode: { postalCode: '97400' },
};

async function listOf(task: Task, options: { election?: { round1: string } } = {}) {
  const org = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' });
  if (options.election)
    await makeElection(s, org.id, {
      name: 'Législatives',
      round1: options.election.round1,
      round2: undefined,
      territory: [],
    });
  const source = await makeSource(s, org.id, { type: 'supporter_signup' });
  const ids: Record<string, string> = {};
  let n = 0;
  for (const [who, place] of Object.entries(PEOPLE))
    ids[who] = (
      await addContact(s.db, {
        keys: s.keys,
        orgId: org.id,
        sourceId: source.id,
        identity: {
          birthName: who,
          phone: `+3361234567${n++}`,
          streetAddress: '1 rue de la Paix',
        },
        attributes: place,
        actor: 'test',
      })
    ).id;
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  const volunteer = await makeStaff(s, org.id, 'volunteer');
  const assignment = await createAssignment(s.db, {
    orgId: org.id,
    input: { volunteerId: volunteer.userId, task, segmentId: segment.id, label: 'L', limit: 10 },
    actor: 'test',
    clock: s.clock,
  });
  const read = () =>
    readAssignedContacts(s.db, {
      keys: s.keys,
      assignmentId: assignment.id,
      userId: volunteer.userId,
      actor: 'test',
      clock: s.clock,
    });
  const whoIn = async () =>
    (await read()).items
      .map((i) => Object.entries(ids).find(([, id]) => id === i.contactId)![0])
      .sort();
  return { read, whoIn };
}

describe('CH-HOURS on phoning lists', () => {
  it('CH-HOURS: a phoning list leaves out numbers outside the send window in their own zone, and says until when', async () => {
    now = EVENING;
    const list = await listOf('phoning');
    expect(await list.whoIn()).toEqual(['guadeloupe', 'paris']);
    const read = await list.read();
    expect(read.silences).toEqual([]);
    // 08:00 on Wednesday in La Réunion is 04:00 UTC; the commune and the postal code agree.
    expect(read.outsideHours).toEqual([
      {
        rule: 'CH-HOURS',
        timeZone: 'Indian/Reunion',
        until: '2026-11-25T04:00:00.000Z',
        window: { days: [1, 2, 3, 4, 5, 6], from: '08:00', until: '22:00' },
      },
    ]);
    expect(JSON.stringify(read.outsideHours)).not.toMatch(/\+33|contactId|reunionBy/);

    now = MORNING; // 06:00 in Paris, 01:00 in Guadeloupe: only La Réunion may be called
    expect(await list.whoIn()).toEqual(['reunion', 'reunionByPostcode']);
    expect((await list.read()).outsideHours.map((h) => [h.timeZone, h.until])).toEqual([
      ['America/Guadeloupe', '2026-11-25T12:00:00.000Z'],
      ['Europe/Paris', '2026-11-25T07:00:00.000Z'],
    ]);
  });

  it('CH-HOURS: on Sunday nobody is called, until Monday 08:00 in each zone', async () => {
    now = new Date('2026-11-29T12:00:00Z'); // Sunday everywhere
    const list = await listOf('phoning');
    expect(await list.whoIn()).toEqual([]);
    expect(
      Object.fromEntries((await list.read()).outsideHours.map((h) => [h.timeZone, h.until])),
    ).toEqual({
      'America/Guadeloupe': '2026-11-30T12:00:00.000Z',
      'Europe/Paris': '2026-11-30T07:00:00.000Z',
      'Indian/Reunion': '2026-11-30T04:00:00.000Z',
    });
  });

  it('CH-HOURS: a door-to-door list is not held by the call window', async () => {
    now = EVENING;
    const list = await listOf('door_to_door');
    expect(await list.whoIn()).toEqual(['guadeloupe', 'paris', 'reunion', 'reunionByPostcode']);
    expect((await list.read()).outsideHours).toEqual([]);
  });
});

describe('CAL-1 zone from the postal code', () => {
  it('CAL-1: a contact with only a postal code is held in its own silence (La Réunion), not on Paris time', async () => {
    // Vote Sunday 14 March 2027. Friday 22:00 in Paris is Saturday 01:00 in La Réunion.
    now = new Date('2027-03-12T21:00:00Z');
    const list = await listOf('door_to_door', { election: { round1: '2027-03-14' } });
    // Guadeloupe votes on the Saturday in a national election: silent since Friday 00:00 there.
    expect(await list.whoIn()).toEqual(['paris']);
    expect((await list.read()).silences.map((x) => x.timeZone)).toEqual([
      'America/Guadeloupe',
      'Indian/Reunion',
    ]);
  });
});
