// CAL-1: which election silences apply to this recipient at this instant. One answer for every
// path that reaches people (planning, the send engine, volunteers' lists, the composer's
// warning): the silence of EVERY election of the organisation applies to everything it sends,
// whether or not a campaign names the election, unless the election has a territory and the
// recipient lives outside it. A recipient with no commune counts as inside (conservative). The
// silence runs in the recipient's own time zone (time-zones.ts: the overseas are not on Paris
// time), from the commune code or else the postal code.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { localParts, silenceWindow } from '../../policy/calendar.ts';
import { packFor, type Pack } from '../../policy/packs.ts';
import type { Violation } from '../../policy/rules.ts';
import { OVERSEAS_TIME_ZONES, timeZoneOf, timeZonesOf } from '../../policy/time-zones.ts';
import { listElections } from '../organisations/elections.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import type { Clock } from '../validation.ts';

/** One vote's silence in one time zone, as instants [from, until). */
export type Silence = {
  electionId: string;
  name: string;
  voteDate: string;
  timeZone: string;
  territory: string[];
  from: Date;
  until: Date;
};

/** An organisation's elections, loaded once and asked per recipient. */
export type SilenceCalendar = {
  pack: Pack;
  elections: { id: string; name: string; territory: string[]; voteDates: string[] }[];
};

export async function silenceCalendar(
  db: Db,
  options: { orgId: string },
): Promise<SilenceCalendar> {
  const org = await getOrganisation(db, { orgId: options.orgId });
  const pack = packFor(org.jurisdiction);
  if (!pack.electionSilence) return { pack, elections: [] };
  const elections = await listElections(db, { orgId: org.id });
  return {
    pack,
    elections: elections.map((e) => ({
      id: e.id,
      name: e.name,
      territory: e.territory,
      voteDates: e.rounds.map((r) => r.date),
    })),
  };
}

// Paris, Lyon and Marseille: a territory naming the commune covers its arrondissements, and one
// naming an arrondissement covers a contact coded with the commune (who may live there).
const ARRONDISSEMENTS: [commune: string, first: number, last: number][] = [
  ['75056', 75101, 75120],
  ['69123', 69381, 69389],
  ['13055', 13201, 13216],
];
const currentCommune = (code: string) =>
  ARRONDISSEMENTS.find(([, first, last]) => Number(code) >= first && Number(code) <= last)?.[0] ??
  code;

/**
 * The recipient lives inside the election's territory: national (empty), no commune known
 * (conservative), the commune itself, or a department/collectivity code it starts with.
 */
export function inTerritory(territory: readonly string[], communeCode: string | null | undefined) {
  if (territory.length === 0 || !communeCode) return true;
  const code = communeCode.trim().toUpperCase();
  return territory.some((t) =>
    t.length >= 5
      ? t === code || t === currentCommune(code) || currentCommune(t) === code
      : code.startsWith(t),
  );
}

// National elections: Guadeloupe, Martinique, Guyane, Saint-Pierre-et-Miquelon, Saint-Barthélemy,
// Saint-Martin and Polynésie vote on the Saturday before the metropolitan Sunday.
const SATURDAY_VOTE_ZONES = new Set(
  ['971', '972', '973', '975', '977', '978', '987'].map((code) => OVERSEAS_TIME_ZONES[code]),
);

function windowsIn(calendar: SilenceCalendar, timeZone: string, communeCode?: string | null) {
  const out: Silence[] = [];
  for (const e of calendar.elections) {
    if (communeCode !== undefined && !inTerritory(e.territory, communeCode)) continue;
    const saturdayVote =
      calendar.pack.code === 'FR' && e.territory.length === 0 && SATURDAY_VOTE_ZONES.has(timeZone);
    for (const voteDate of e.voteDates) {
      const w = silenceWindow(calendar.pack, { voteDate, timeZone, saturdayVote });
      if (w)
        out.push({
          electionId: e.id,
          name: e.name,
          voteDate,
          timeZone,
          territory: e.territory,
          ...w,
        });
    }
  }
  return out;
}

/** The silences that apply to someone living in this commune (or at this postal code) now. */
export function silencesFor(
  calendar: SilenceCalendar,
  options: { at: Date; communeCode: string | null | undefined; postalCode?: string | null },
): Silence[] {
  const timeZone = timeZoneOf(calendar.pack, options.communeCode, options.postalCode);
  const at = options.at.getTime();
  return windowsIn(calendar, timeZone, options.communeCode ?? null).filter(
    (w) => w.from.getTime() <= at && at < w.until.getTime(),
  );
}

/** Some silence is open at this instant in some zone of the pack: worth asking per recipient. */
export function silenceOpenSomewhere(calendar: SilenceCalendar, at: Date): boolean {
  const t = at.getTime();
  return timeZonesOf(calendar.pack).some((zone) =>
    windowsIn(calendar, zone).some((w) => w.from.getTime() <= t && t < w.until.getTime()),
  );
}

/** When a recipient held by these silences may be reached again: polls closed in their zone. */
export const silenceEnds = (silences: readonly Silence[]) =>
  new Date(Math.max(...silences.map((s) => s.until.getTime())));

/** The refusal, naming the election and the local window, never a person. */
export function silenceViolation(_pack: Pack, silence: Silence): Violation {
  const from = localParts(silence.from, silence.timeZone);
  const until = localParts(silence.until, silence.timeZone);
  return {
    rule: 'CAL-1',
    key: 'campaign.election_silence',
    params: {
      election: silence.name,
      fromTime: from.time,
      fromDate: from.date,
      untilTime: until.time,
      untilDate: until.date,
      timeZone: silence.timeZone,
    },
    message: `election "${silence.name}": no electronic propaganda or serial calls from ${from.time} on ${from.date} until polls close (${until.time}) on ${until.date}, ${silence.timeZone} time`,
  };
}

const key = (s: Silence) => `${s.electionId}|${s.voteDate}|${s.timeZone}`;

/** Distinct silences, in a stable order (start, then zone). */
export function distinctSilences(silences: Iterable<Silence>): Silence[] {
  const byKey = new Map<string, Silence>();
  for (const s of silences) byKey.set(key(s), s);
  return [...byKey.values()].sort(
    (a, b) => a.from.getTime() - b.from.getTime() || a.timeZone.localeCompare(b.timeZone),
  );
}

/**
 * Planning (CAL-1): the silences `at` falls in for any of the recipients `condition` selects
 * (over `contacts c` of the organisation), as violations. Asks the database only when some
 * silence is open somewhere at that instant.
 */
export async function silenceViolationsAt(
  db: Db,
  options: { orgId: string; at: Date; recipients: SQL },
): Promise<Violation[]> {
  const calendar = await silenceCalendar(db, options);
  if (!silenceOpenSomewhere(calendar, options.at)) return [];
  const communes = (await db.execute(sql`
    select distinct c.commune_code, c.postal_code from contacts c
    where c.org_id = ${options.orgId} and ${options.recipients}`)) as unknown as {
    rows: { commune_code: string | null; postal_code: string | null }[];
  };
  const found = communes.rows.flatMap((r) =>
    silencesFor(calendar, {
      at: options.at,
      communeCode: r.commune_code,
      postalCode: r.postal_code,
    }),
  );
  return distinctSilences(found).map((s) => silenceViolation(calendar.pack, s));
}

/** Zones where the organisation has recipients: its pack's, and those of its contacts' communes. */
async function zonesOfContacts(db: Db, orgId: string, pack: Pack): Promise<Set<string>> {
  const places = (await db.execute(sql`
    select distinct commune_code, postal_code from contacts
    where org_id = ${orgId} and (commune_code like '97%' or commune_code like '98%'
      or (commune_code is null and (postal_code like '97%' or postal_code like '98%')))`)) as unknown as {
    rows: { commune_code: string | null; postal_code: string | null }[];
  };
  return new Set([
    pack.timeZone,
    ...places.rows.map((r) => timeZoneOf(pack, r.commune_code, r.postal_code)),
  ]);
}

/**
 * The organisation's declared silences that have not ended, for the composer's warning: each
 * vote in each zone where it may reach someone (its territory's zones, or, for a national
 * election, the zones of the organisation's contacts).
 */
export async function declaredSilences(
  db: Db,
  options: { orgId: string; clock?: Clock },
): Promise<Silence[]> {
  const calendar = await silenceCalendar(db, options);
  if (calendar.elections.length === 0) return [];
  const now = (options.clock ?? (() => new Date()))().getTime();
  const contactZones = await zonesOfContacts(db, options.orgId, calendar.pack);
  const out: Silence[] = [];
  for (const e of calendar.elections) {
    // A territory's own zones, and the pack's (someone with no commune counts as inside).
    const zones = e.territory.length
      ? new Set([calendar.pack.timeZone, ...e.territory.map((t) => timeZoneOf(calendar.pack, t))])
      : contactZones;
    for (const zone of zones)
      out.push(
        ...windowsIn({ ...calendar, elections: [e] }, zone).filter((w) => w.until.getTime() > now),
      );
  }
  return distinctSilences(out);
}

/** A silence as the API and the screens show it (instants in ISO 8601). */
export type SilenceNotice = {
  rule: 'CAL-1';
  electionId: string;
  name: string;
  voteDate: string;
  from: string;
  until: string;
  timeZone: string;
  territory: string[];
};

export const silenceNotice = (s: Silence): SilenceNotice => ({
  rule: 'CAL-1',
  electionId: s.electionId,
  name: s.name,
  voteDate: s.voteDate,
  from: s.from.toISOString(),
  until: s.until.toISOString(),
  timeZone: s.timeZone,
  territory: s.territory,
});

/**
 * Volunteers' lists (CAL-1: no serial calls, no canvassing lists during a silence): the rows of
 * people outside any silence at `at`, and the silences that took the others out.
 */
export async function withoutSilenced<
  R extends { commune_code: string | null; postal_code?: string | null },
>(
  db: Db,
  options: { orgId: string; rows: R[]; at: Date },
): Promise<{ rows: R[]; silences: SilenceNotice[] }> {
  const calendar = await silenceCalendar(db, options);
  if (!silenceOpenSomewhere(calendar, options.at)) return { rows: options.rows, silences: [] };
  const found: Silence[] = [];
  const rows = options.rows.filter((r) => {
    const silences = silencesFor(calendar, {
      at: options.at,
      communeCode: r.commune_code,
      postalCode: r.postal_code,
    });
    found.push(...silences);
    return silences.length === 0;
  });
  return { rows, silences: distinctSilences(found).map(silenceNotice) };
}
