// CAL-1: where a recipient lives decides whose silence holds them and on which clock. The zone is
// read from the commune code or else the postal code (purchased files often have only that); an
// election's territory names real INSEE communes or departments only; Paris, Lyon and Marseille
// and their arrondissements are the same place both ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import type { Channel } from '../../dispatch/channel.ts';
import { Dispatcher } from '../../dispatch/dispatcher.ts';
import { packFor } from '../../policy/packs.ts';
import { timeZoneOf } from '../../policy/time-zones.ts';
import { addContact } from '../contacts/contacts.ts';
import { saveSegment } from '../segments/segments.ts';
import { createCampaign, moveCampaign } from './campaigns.ts';
import { planCampaign } from './plan-campaign.ts';
import { declaredSilences, inTerritory, silencesFor, silenceViolation } from './silence.ts';
import { sql } from 'drizzle-orm';

const VOTE = '2027-03-14';
const BEFORE = new Date('2027-03-10T10:00:00Z');
/** Friday 22:00 in Paris, Saturday 01:00 in La Réunion. */
const REUNION_ONLY = new Date('2027-03-12T21:00:00Z');

let now = BEFORE;
let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
});
afterAll(() => s.dispose());

async function organisation(
  people: Record<string, { communeCode?: string; postalCode?: string }>,
  territory: string[] = [],
) {
  const org = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' });
  await makeElection(s, org.id, { name: 'Élection', round1: VOTE, round2: undefined, territory });
  const source = await makeSource(s, org.id, { type: 'supporter_signup' });
  const ids: Record<string, string> = {};
  for (const [who, place] of Object.entries(people))
    ids[who] = (
      await addContact(s.db, {
        keys: s.keys,
        orgId: org.id,
        sourceId: source.id,
        identity: { birthName: who, email: `${who}@exemple.fr` },
        attributes: place,
        actor: 'test',
      })
    ).id;
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  const campaign = async () =>
    (
      await createCampaign(s.db, {
        orgId: org.id,
        input: {
          segmentId: segment.id,
          fromName: 'Liste',
          fromEmail: 'contact@exemple-2027.fr',
          subject: 'Bonjour',
          body: 'Bonjour',
        },
        actor: 'test',
        clock: s.clock,
      })
    ).id;
  return { orgId: org.id, ids, campaign };
}

const plan = (campaignId: string) =>
  planCampaign(s.db, { campaignId, actor: 'test', clock: s.clock });

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

const stateOf = async (campaignId: string) =>
  (
    (await s.db.execute(sql`
      select contact_id, state, next_attempt_at from outbox
      where campaign_id = ${campaignId} order by contact_id`)) as unknown as {
      rows: { contact_id: string; state: string; next_attempt_at: string | Date | null }[];
    }
  ).rows;

describe('CAL-1: the zone from the postal code', () => {
  it('CAL-1: a contact with no commune code takes the zone of its postal code', () => {
    const fr = packFor('FR');
    const zone = (postal: string) => timeZoneOf(fr, null, postal);
    expect(zone('97110')).toBe('America/Guadeloupe');
    expect(zone('97133')).toBe('America/St_Barthelemy');
    expect(zone('97150')).toBe('America/Marigot');
    expect(zone('97200')).toBe('America/Martinique');
    expect(zone('97300')).toBe('America/Cayenne');
    expect(zone('97400')).toBe('Indian/Reunion');
    expect(zone('97500')).toBe('America/Miquelon');
    expect(zone('97600')).toBe('Indian/Mayotte');
    expect(zone('98600')).toBe('Pacific/Wallis');
    expect(zone('98714')).toBe('Pacific/Tahiti');
    expect(zone('98800')).toBe('Pacific/Noumea');
    expect(zone('69001')).toBe('Europe/Paris');
    // The commune code wins; with neither, the pack's zone.
    expect(timeZoneOf(fr, '75056', '97400')).toBe('Europe/Paris');
    expect(timeZoneOf(fr, null, null)).toBe('Europe/Paris');
    expect(timeZoneOf(packFor('MA'), null, '97400')).toBe('Africa/Casablanca');
  });

  it('CAL-1: planning refuses during the silence of a recipient known only by a La Réunion postal code', async () => {
    const o = await organisation({
      paris: { communeCode: '75056' },
      reunion: { postalCode: '97400' },
    });
    now = REUNION_ONLY;
    const result = await plan(await o.campaign());
    expect(result.violations.map((v) => v.rule)).toEqual(['CAL-1']);
    expect(result.violations[0]!.message).toMatch(/Indian\/Reunion/);
  });

  it('CAL-1: the send engine holds a recipient known only by a La Réunion postal code until polls close there', async () => {
    const o = await organisation({
      paris: { communeCode: '75056' },
      reunion: { postalCode: '97400' },
    });
    now = BEFORE;
    const id = await o.campaign();
    expect((await plan(id)).violations).toEqual([]);
    await moveCampaign(s.db, { campaignId: id, move: 'send', actor: 'test', clock: s.clock });
    now = REUNION_ONLY;
    const channel = fakeChannel();
    await new Dispatcher({
      db: s.db,
      keys: s.keys,
      clock: s.clock,
      channel,
      publicUrl: 'https://isoloir.example',
      mailDomain: 'isoloir.example',
    }).runOnce();
    const rows = await stateOf(id);
    expect(rows.find((r) => r.contact_id === o.ids.paris)!.state).toBe('sent');
    const held = rows.find((r) => r.contact_id === o.ids.reunion)!;
    expect(held.state).toBe('queued');
    expect(new Date(held.next_attempt_at!).toISOString()).toBe('2027-03-14T16:00:00.000Z');
  });

  it('CAL-1: the silences API lists the zone of contacts known only by their postal code', async () => {
    const o = await organisation({ tahiti: { postalCode: '98714' } });
    now = BEFORE;
    const zones = (await declaredSilences(s.db, { orgId: o.orgId, clock: s.clock })).map(
      (x) => x.timeZone,
    );
    expect(zones.sort()).toEqual(['Europe/Paris', 'Pacific/Tahiti']);
  });
});

describe('CAL-1: election territories', () => {
  it('CAL-1: refuses a territory code that is no INSEE commune or department, naming the code', async () => {
    const org = await makeOrg(s);
    // 75001 is the postal code of Paris 1er, not an INSEE code; 99 and 97999 exist nowhere.
    for (const code of ['75001', '99', '97999']) {
      await expect(makeElection(s, org.id, { territory: ['69123', code] })).rejects.toMatchObject({
        code: 'invalid',
        message: expect.stringMatching(
          new RegExp(`territory: ${code} is not an existing INSEE commune or department`),
        ),
      });
    }
    const ok = await makeElection(s, org.id, { territory: ['69381', '2a004', '974', '988'] });
    expect(ok.territory).toEqual(['69381', '2A004', '974', '988']);
  });

  it('CAL-1: a city and its arrondissements are the same place both ways', () => {
    expect(inTerritory(['75056'], '75101')).toBe(true);
    expect(inTerritory(['75056'], '75120')).toBe(true);
    // A contact coded with the city may live in any arrondissement: held (conservative).
    expect(inTerritory(['75101'], '75056')).toBe(true);
    expect(inTerritory(['69385'], '69123')).toBe(true);
    expect(inTerritory(['13201'], '13055')).toBe(true);
    // Another arrondissement is another place.
    expect(inTerritory(['75101'], '75102')).toBe(false);
    expect(inTerritory(['69385'], '69266')).toBe(false);
  });

  it('CAL-1: Lyon voters coded by arrondissement are held by an election on Lyon', async () => {
    const o = await organisation(
      { lyon3: { communeCode: '69383' }, villeurbanne: { communeCode: '69266' } },
      ['69123'],
    );
    now = new Date('2027-03-13T10:00:00Z');
    const result = await plan(await o.campaign());
    expect(result.violations.map((v) => v.rule)).toEqual(['CAL-1']);
    const arrondissement = await organisation({ lyon: { communeCode: '69123' } }, ['69383']);
    const held = await plan(await arrondissement.campaign());
    expect(held.violations.map((v) => v.rule)).toEqual(['CAL-1']);
  });
});

describe('CAL-1: the Saturday vote of the Americas and Polynesia', () => {
  const calendar = (territory: string[]) => ({
    pack: packFor('FR'),
    elections: [{ id: 'e', name: 'Présidentielle', territory, voteDates: [VOTE] }],
  });
  /** Friday 12 March 2027, 10:00 in Guadeloupe, 04:00 in Tahiti, 18:00 in La Réunion. */
  const FRIDAY = new Date('2027-03-12T14:00:00Z');

  it('CAL-1: for a national election, Guadeloupe and Polynesia are silent from 00:00 on the Friday', () => {
    const guadeloupe = silencesFor(calendar([]), { at: FRIDAY, communeCode: '97105' });
    expect(guadeloupe.map((x) => x.timeZone)).toEqual(['America/Guadeloupe']);
    expect(guadeloupe[0]!.from.toISOString()).toBe('2027-03-12T04:00:00.000Z');
    // Until polls close on the metropolitan Sunday, in case this vote is a Sunday one there.
    expect(guadeloupe[0]!.until.toISOString()).toBe('2027-03-15T00:00:00.000Z');
    expect(silenceViolation(packFor('FR'), guadeloupe[0]!).message).toMatch(
      /from 00:00 on 2027-03-12 until polls close \(20:00\) on 2027-03-14, America\/Guadeloupe time/,
    );
    for (const [commune, postal] of [
      ['97209', null],
      ['97302', null],
      ['97502', null],
      ['97701', null],
      ['97801', null],
      ['98735', null],
      [null, '97133'],
    ])
      expect(
        silencesFor(calendar([]), { at: FRIDAY, communeCode: commune, postalCode: postal }),
      ).not.toEqual([]);
    // Not La Réunion, Mayotte or Paris (Friday there too); not a local election.
    for (const commune of ['97411', '97611', '75056'])
      expect(silencesFor(calendar([]), { at: FRIDAY, communeCode: commune })).toEqual([]);
    expect(silencesFor(calendar(['971']), { at: FRIDAY, communeCode: '97105' })).toEqual([]);
    // Thursday 23:30 in Guadeloupe: not yet.
    const thursday = new Date('2027-03-12T03:30:00Z');
    expect(silencesFor(calendar([]), { at: thursday, communeCode: '97105' })).toEqual([]);
  });
});
