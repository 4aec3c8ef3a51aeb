// CAL-1 on every path, for every campaign and in the recipient's own time zone: planning refuses,
// the send engine holds per recipient and releases when polls close there, volunteers' lists
// empty out. CH-HOURS reads the same zones.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../test/factories.ts';
import { makeStaff } from '../../../test/staff.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import type { Channel } from '../../dispatch/channel.ts';
import { Dispatcher } from '../../dispatch/dispatcher.ts';
import { checkSendWindow, silenceWindow } from '../../policy/calendar.ts';
import { packFor } from '../../policy/packs.ts';
import { timeZoneOf } from '../../policy/time-zones.ts';
import { createAssignment, readAssignedContacts } from '../assignments/assignments.ts';
import { addContact } from '../contacts/contacts.ts';
import { saveSegment } from '../segments/segments.ts';
import { campaignStatus, createCampaign, moveCampaign } from './campaigns.ts';
import { planCampaign } from './plan-campaign.ts';
import { inTerritory } from './silence.ts';

// The vote: Sunday 14 March 2027. Paris is UTC+1 that day, Guadeloupe UTC-4, La Réunion UTC+4.
const VOTE = '2027-03-14';
const BEFORE = new Date('2027-03-10T10:00:00Z');
/** Friday 22:00 in Paris, 17:00 in Guadeloupe, Saturday 01:00 in La Réunion. */
const REUNION_ONLY = new Date('2027-03-12T21:00:00Z');
/** Saturday 03:00 in Paris and 06:00 in La Réunion, Friday 22:00 in Guadeloupe. */
const NOT_GUADELOUPE = new Date('2027-03-13T02:00:00Z');
/** Sunday 22:00 in Paris (polls closed), 17:00 in Guadeloupe, Monday 01:00 in La Réunion. */
const GUADELOUPE_ONLY = new Date('2027-03-14T21:00:00Z');

let now = BEFORE;
let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
});
afterAll(() => s.dispose());

const PEOPLE = { paris: '75056', guadeloupe: '97105', reunion: '97411', nowhere: null } as const;
type Who = keyof typeof PEOPLE;
/** A vote held on the Sunday in all three zones (a national one is on the Saturday in 971). */
const SUNDAY_EVERYWHERE = ['75', '971', '974'];
const PHONES: Record<Who, string> = {
  paris: '+33612345671',
  guadeloupe: '+33612345672',
  reunion: '+33612345673',
  nowhere: '+33612345674',
};

/** An FR organisation with a notice, one national election (unless told) and four supporters. */
async function organisation(options: { territory?: string[]; election?: boolean } = {}) {
  const org = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' });
  if (options.election !== false)
    await makeElection(s, org.id, {
      name: 'Municipales 2027',
      round1: VOTE,
      round2: undefined,
      territory: options.territory ?? [],
    });
  const source = await makeSource(s, org.id, { type: 'supporter_signup' });
  const ids = {} as Record<Who, string>;
  for (const [who, communeCode] of Object.entries(PEOPLE) as [Who, string | null][])
    ids[who] = (
      await addContact(s.db, {
        keys: s.keys,
        orgId: org.id,
        sourceId: source.id,
        identity: { birthName: who, email: `${who}@exemple.fr`, phone: PHONES[who] },
        attributes: communeCode ? { communeCode } : {},
        actor: 'test',
      })
    ).id;
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  return { orgId: org.id, segmentId: segment.id, ids };
}

async function campaign(
  o: { orgId: string; segmentId: string },
  extra: Record<string, unknown> = {},
) {
  const c = await createCampaign(s.db, {
    orgId: o.orgId,
    input: {
      segmentId: o.segmentId,
      fromName: 'Liste',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Bonjour',
      body: 'Bonjour',
      ...extra,
    },
    actor: 'test',
    clock: s.clock,
  });
  return c.id;
}

const plan = (campaignId: string) =>
  planCampaign(s.db, { campaignId, actor: 'test', clock: s.clock });

/** Planned before the silence and sending: its rows are queued for the engine. */
async function sending(o: { orgId: string; segmentId: string }) {
  const id = await campaign(o);
  const saved = now;
  now = BEFORE;
  expect((await plan(id)).violations).toEqual([]);
  await moveCampaign(s.db, { campaignId: id, move: 'send', actor: 'test', clock: s.clock });
  now = saved;
  return id;
}

function fakeChannel(): Channel & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: 'fake',
    capacity: 5,
    sent,
    async send(m) {
      sent.push(m.to);
      return { ok: true };
    },
    async close() {},
  };
}

const dispatcher = (channel: Channel) =>
  new Dispatcher({
    db: s.db,
    keys: s.keys,
    clock: s.clock,
    channel,
    publicUrl: 'https://isoloir.example',
    mailDomain: 'isoloir.example',
  });

const rowsOf = async (campaignId: string) =>
  (
    (await s.db.execute(sql`
      select contact_id, state, attempts, next_attempt_at from outbox
      where campaign_id = ${campaignId} order by contact_id`)) as unknown as {
      rows: {
        contact_id: string;
        state: string;
        attempts: number;
        next_attempt_at: string | Date | null;
      }[];
    }
  ).rows;

/** Who of the organisation's four got this campaign's message. */
const sentIn = async (campaignId: string, ids: Record<Who, string>) =>
  (await rowsOf(campaignId))
    .filter((r) => r.state === 'sent')
    .map((r) => Object.entries(ids).find(([, id]) => id === r.contact_id)![0])
    .sort();

describe('CAL-1 at planning', () => {
  it('CAL-1: refuses to plan an email campaign with no election on the eve of the organisation’s vote', async () => {
    const o = await organisation();
    now = new Date('2027-03-13T10:00:00Z'); // Saturday, the eve, everywhere
    const result = await plan(await campaign(o));
    expect(result.state).toBe('draft');
    expect(result.recipients).toBe(0);
    expect(result.violations.map((v) => v.rule)).toContain('CAL-1');
    const text = result.violations.map((v) => v.message).join('\n');
    expect(text).toMatch(/Municipales 2027/);
    expect(text).toMatch(/00:00 on 2027-03-13 until polls close \(20:00\) on 2027-03-14/);
    expect(text).not.toMatch(/@|\+33/); // no personal data
  });

  it('CAL-1: the silence of election B applies to a campaign linked to election A', async () => {
    const o = await organisation();
    const a = await makeElection(s, o.orgId, {
      name: 'Législatives',
      round1: '2027-06-13',
      round2: undefined,
      territory: [],
    });
    now = new Date('2027-03-13T10:00:00Z');
    const result = await plan(await campaign(o, { electionId: a.id }));
    expect(result.violations.map((v) => v.rule)).toContain('CAL-1');
    expect(result.violations.map((v) => v.message).join('\n')).toMatch(/Municipales 2027/);
  });

  it('CAL-1: refuses a schedule inside the Guadeloupe silence although Paris polls are closed', async () => {
    const o = await organisation();
    now = BEFORE;
    const result = await plan(await campaign(o, { scheduledAt: GUADELOUPE_ONLY.toISOString() }));
    expect(result.violations.map((v) => v.rule)).toEqual(['CAL-1']);
    expect(result.violations[0]!.message).toMatch(/America\/Guadeloupe/);
    const later = await plan(
      await campaign(o, { scheduledAt: '2027-03-15T00:00:00Z' }), // 20:00 in Guadeloupe
    );
    expect(later.violations).toEqual([]);
  });

  it('CAL-1: a recipient outside the election’s territory is not held, one with no commune is', async () => {
    // A vote in La Réunion only: Paris and Guadeloupe are outside, "nowhere" counts as inside.
    const o = await organisation({ territory: ['974'] });
    now = REUNION_ONLY;
    const refused = await plan(await campaign(o));
    expect(refused.violations.map((v) => v.rule)).toEqual(['CAL-1']);
    expect(refused.violations.map((v) => v.message).join('\n')).toMatch(/Indian\/Reunion/);

    now = BEFORE;
    const id = await sending(o);
    now = NOT_GUADELOUPE;
    const channel = fakeChannel();
    await dispatcher(channel).runOnce();
    // Paris is in its own silence hours but outside the territory; "nowhere" is inside, on Paris time.
    expect(await sentIn(id, o.ids)).toEqual(['guadeloupe', 'paris']);
    const held = (await rowsOf(id)).filter((r) => r.state === 'queued');
    expect(held.map((r) => r.contact_id).sort()).toEqual([o.ids.nowhere, o.ids.reunion].sort());
  });
});

describe('CAL-1 in the send engine', () => {
  it('CAL-1: holds La Réunion recipients in their own silence while Paris and Guadeloupe are sent, and releases them when polls close there', async () => {
    const o = await organisation({ territory: SUNDAY_EVERYWHERE });
    const id = await sending(o);
    now = REUNION_ONLY;
    const channel = fakeChannel();
    const d = dispatcher(channel);
    await d.runOnce();
    expect(await sentIn(id, o.ids)).toEqual(['guadeloupe', 'nowhere', 'paris']);
    const [held] = (await rowsOf(id)).filter((r) => r.state !== 'sent');
    expect(held).toMatchObject({ contact_id: o.ids.reunion, state: 'queued', attempts: 0 });
    // Polls close at 20:00 in La Réunion: 16:00 UTC.
    expect(new Date(held!.next_attempt_at!).toISOString()).toBe('2027-03-14T16:00:00.000Z');

    // Not closed while a row is held, and not claimed again before its time.
    now = new Date('2027-03-13T12:00:00Z');
    await d.runOnce();
    await d.runOnce();
    expect((await rowsOf(id)).filter((r) => r.state !== 'sent')).toMatchObject([
      { contact_id: o.ids.reunion, state: 'queued', attempts: 0 },
    ]);
    expect((await campaignStatus(s.db, { campaignId: id })).state).toBe('sending');

    now = new Date('2027-03-14T16:00:00Z');
    await d.runOnce();
    expect(await sentIn(id, o.ids)).toEqual(['guadeloupe', 'nowhere', 'paris', 'reunion']);
    await d.runOnce();
    expect(await campaignStatus(s.db, { campaignId: id })).toMatchObject({
      state: 'done',
      counts: { sent: 4 },
    });
  });

  it('CAL-1: holds Guadeloupe (UTC-4) recipients after Paris polls closed', async () => {
    const o = await organisation();
    const id = await sending(o);
    now = GUADELOUPE_ONLY;
    const channel = fakeChannel();
    await dispatcher(channel).runOnce();
    expect(await sentIn(id, o.ids)).toEqual(['nowhere', 'paris', 'reunion']);
    const [held] = (await rowsOf(id)).filter((r) => r.state !== 'sent');
    expect(held).toMatchObject({ contact_id: o.ids.guadeloupe, state: 'queued', attempts: 0 });
    // 20:00 in Guadeloupe on the day of the vote.
    expect(new Date(held!.next_attempt_at!).toISOString()).toBe('2027-03-15T00:00:00.000Z');
  });

  it('CAL-1: holds Paris and La Réunion while Guadeloupe is still outside its silence', async () => {
    const o = await organisation({ territory: SUNDAY_EVERYWHERE });
    const id = await sending(o);
    now = NOT_GUADELOUPE;
    const channel = fakeChannel();
    await dispatcher(channel).runOnce();
    expect(await sentIn(id, o.ids)).toEqual(['guadeloupe']);
    const rows = await rowsOf(id);
    expect(rows.filter((r) => r.state === 'queued')).toHaveLength(3);
    expect(rows.every((r) => r.attempts <= 1)).toBe(true);
    const paris = rows.find((r) => r.contact_id === o.ids.paris)!;
    expect(new Date(paris.next_attempt_at!).toISOString()).toBe('2027-03-14T19:00:00.000Z');
  });
});

describe('CAL-1 in volunteers’ lists', () => {
  it('CAL-1: a phoning list is empty during the silence, with the reason, and full again after', async () => {
    const o = await organisation();
    const volunteer = await makeStaff(s, o.orgId, 'volunteer');
    now = BEFORE;
    const assignment = await createAssignment(s.db, {
      orgId: o.orgId,
      input: {
        volunteerId: volunteer.userId,
        task: 'phoning',
        segmentId: o.segmentId,
        label: 'Appels',
        limit: 10,
      },
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
    // Read when all three zones are inside the call window too (CH-HOURS: 09:00 in Guadeloupe).
    now = new Date('2027-03-10T13:00:00Z');
    expect((await read()).items).toHaveLength(4);
    now = new Date('2027-03-13T10:00:00Z');
    const during = await read();
    expect(during.items).toEqual([]);
    expect(during.silences[0]).toMatchObject({
      rule: 'CAL-1',
      name: 'Municipales 2027',
      voteDate: VOTE,
    });
    expect(during.silences.map((x) => x.timeZone).sort()).toEqual([
      'America/Guadeloupe',
      'Europe/Paris',
      'Indian/Reunion',
    ]);
    now = new Date('2027-03-15T13:00:00Z');
    expect((await read()).items).toHaveLength(4);
  });
});

describe('CAL-1 windows and territories', () => {
  it('CAL-1: the window follows each zone, also on the night clocks change in Paris', () => {
    const fr = packFor('FR');
    // Sunday 28 March 2027: Paris goes from UTC+1 to UTC+2 at 02:00.
    expect(silenceWindow(fr, { voteDate: '2027-03-28' })).toEqual({
      from: new Date('2027-03-26T23:00:00Z'),
      until: new Date('2027-03-28T18:00:00Z'),
    });
    expect(silenceWindow(fr, { voteDate: '2027-03-28', timeZone: 'Pacific/Tahiti' })).toEqual({
      from: new Date('2027-03-27T10:00:00Z'),
      until: new Date('2027-03-29T06:00:00Z'),
    });
    expect(silenceWindow(packFor('MA'), { voteDate: '2027-03-28' })).toBeNull();
  });

  it('CAL-1: a territory covers its communes, its departments’ communes and Paris, Lyon, Marseille arrondissements; no commune counts as inside', () => {
    expect(inTerritory([], '97411')).toBe(true);
    expect(inTerritory(['974'], '97411')).toBe(true);
    expect(inTerritory(['974'], '97105')).toBe(false);
    expect(inTerritory(['75056'], '75112')).toBe(true);
    expect(inTerritory(['69123'], '69381')).toBe(true);
    expect(inTerritory(['13055'], '13216')).toBe(true);
    expect(inTerritory(['69123'], '69266')).toBe(false);
    expect(inTerritory(['2A'], '2A004')).toBe(true);
    expect(inTerritory(['2B'], '2A004')).toBe(false);
    expect(inTerritory(['69123'], null)).toBe(true);
  });
});

describe('CH-HOURS in the recipient’s zone', () => {
  it('CH-HOURS: the send window is read in the zone of the recipient’s commune', () => {
    const fr = packFor('FR');
    const at = new Date('2026-11-24T07:30:00Z'); // Tuesday 08:30 Paris, 03:30 Guadeloupe, 11:30 Réunion
    const check = (commune: string | null) =>
      checkSendWindow(fr, { at, timeZone: timeZoneOf(fr, commune) }).map((v) => v.rule);
    expect(check('75056')).toEqual([]);
    expect(check('2A004')).toEqual([]);
    expect(check(null)).toEqual([]);
    expect(check('97105')).toEqual(['CH-HOURS']);
    expect(check('97209')).toEqual(['CH-HOURS']);
    expect(check('97302')).toEqual(['CH-HOURS']);
    expect(check('97411')).toEqual([]);
    // 22:30 in Paris is out; 18:30 in Guadeloupe is in.
    const evening = new Date('2026-11-24T21:30:00Z');
    expect(checkSendWindow(fr, { at: evening, timeZone: timeZoneOf(fr, '75056') })).not.toEqual([]);
    expect(checkSendWindow(fr, { at: evening, timeZone: timeZoneOf(fr, '97105') })).toEqual([]);
    // 98x codes: the three-character collectivity, not the two-character "department" column.
    expect(timeZoneOf(fr, '98735')).toBe('Pacific/Tahiti');
    expect(timeZoneOf(fr, '98818')).toBe('Pacific/Noumea');
    expect(timeZoneOf(fr, '98613')).toBe('Pacific/Wallis');
    expect(timeZoneOf(packFor('MA'), '97411')).toBe('Africa/Casablanca');
  });
});
