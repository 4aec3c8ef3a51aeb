// Phone numbers to E.164, the one way every path reads them: the import, the quarantine, an
// objection given by phone (OPT-1, SRC-8: its hash must be the one the import computes), the
// organisation's own number. A French organisation's members live in every French numbering
// region, not only in metropolitan France: a number written nationally ("0639 40 12 34") that is
// not a metropolitan one is read against the overseas regions (Mayotte, La Réunion, Guadeloupe,
// Martinique, Guyane, Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, Nouvelle-Calédonie,
// Polynésie française, Wallis-et-Futuna), so that no member is turned away for where they live.
import {
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';

/** Every numbering region of France, metropolitan first: the order a national number is tried in. */
export const FRENCH_NUMBERING_REGIONS: readonly CountryCode[] = [
  'FR',
  'GP',
  'MQ',
  'GF',
  'RE',
  'YT',
  'PM',
  'BL',
  'MF',
  'NC',
  'PF',
  'WF',
];

/**
 * National prefixes the French plan gives to the overseas departments (ARCEP). Some of them
 * (0263, 0269, 0596) also pass libphonenumber's metropolitan patterns, which would turn a
 * Mayotte or Martinique line into a +33 number nobody can call, and whose hash would not match
 * the same person's number written +262 or +596: these are read as the region's first.
 */
const OVERSEAS_PREFIXES: Record<string, CountryCode> = {
  '0262': 'RE',
  '0263': 'RE',
  '0692': 'RE',
  '0693': 'RE',
  '0269': 'YT',
  '0639': 'YT',
  '0590': 'GP',
  '0690': 'GP',
  '0691': 'GP',
  '0594': 'GF',
  '0694': 'GF',
  '0596': 'MQ',
  '0696': 'MQ',
  '0697': 'MQ',
};

/**
 * The regions a national number is read against, by the organisation's jurisdiction: every French
 * region for FR, Morocco for MA, none for EU (only international numbers, "+32 ..." or "0032 ...").
 */
export function phoneRegions(jurisdiction: string): readonly CountryCode[] {
  if (jurisdiction === 'FR') return FRENCH_NUMBERING_REGIONS;
  if (jurisdiction === 'MA') return ['MA'];
  return [];
}

/** Separators people type inside a number: spaces, dots, dashes, brackets, slashes. */
export const compactPhone = (value: string) => value.trim().replace(/[\s.\-()/]/g, '');

/** The shape of an E.164 number, whether or not it is allocated. */
export const E164 = /^\+[1-9]\d{6,14}$/;

function valid(compact: string, region?: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(compact, region);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * A number to E.164 as the organisation's jurisdiction reads it, or null when it is not a valid
 * number: international ("+262 639 40 12 34", "00262639401234") for any jurisdiction; national
 * ("0639 40 12 34") by its overseas prefix, else as metropolitan, else in the one other region
 * where it is valid.
 */
export function normalisePhone(value: string, jurisdiction: string): string | null {
  const given = compactPhone(value);
  if (given === '') return null;
  // 00 is the international prefix from France, Morocco and the rest of Europe alike.
  const compact = given.startsWith('00') ? `+${given.slice(2)}` : given;
  const regions = phoneRegions(jurisdiction);
  if (regions.length === 0 || compact.startsWith('+')) return valid(compact, regions[0]) ?? null;
  const overseas = regions === FRENCH_NUMBERING_REGIONS && OVERSEAS_PREFIXES[compact.slice(0, 4)];
  if (overseas && compact.length === 10) {
    const number = valid(compact, overseas);
    if (number) return number;
    // A prefix of the region that libphonenumber does not list yet (0263, La Réunion): the
    // region's number all the same, never a +33 one (legacyForms keeps the +33 reading matched).
    if (/^0\d{9}$/.test(compact) && valid(compact, 'FR'))
      return `+${getCountryCallingCode(overseas)}${compact.slice(1)}`;
  }
  const [first, ...others] = regions;
  const home = valid(compact, first);
  if (home) return home;
  // Not a number of the first region: one of the others, if exactly one number fits. A short
  // number that is valid in two of them ("25 12 34" in Saint-Pierre and in Nouméa) is ambiguous,
  // and refused rather than guessed (the row keeps its other fields, the line is quarantined).
  const found = new Set<string>();
  for (const region of others) {
    const number = valid(compact, region);
    if (number) found.add(number);
  }
  return found.size === 1 ? [...found][0]! : null;
}

/**
 * How versions before issue 13 read the same number, when it differs: a French organisation's
 * 0263, 0269 and 0596 numbers (and every other overseas prefix that passes libphonenumber's
 * metropolitan patterns) were read as +33. Suppression hashes and contact blind indexes stored
 * then hold that form: the import checks and matches it too (SRC-8, merges).
 */
export function legacyForms(e164: string): string[] {
  const m = /^\+(262|590|594|596)(\d{9})$/.exec(e164);
  if (!m) return [];
  const region = OVERSEAS_PREFIXES[`0${m[2]!.slice(0, 3)}`];
  if (!region || getCountryCallingCode(region) !== m[1]) return [];
  const old = valid(`0${m[2]}`, 'FR');
  return old && old !== e164 ? [old] : [];
}

/**
 * Every reading of one number that this or an earlier version may have stored: the number, its
 * pre-issue-13 +33 form, and for a stored +33 number the overseas number it is read as today.
 * Suppression hashes and contact look-ups use them all, so a number stored before the upgrade and
 * one given after it still name the same person (OPT-2, SRC-8).
 */
export function phoneReadings(e164: string): string[] {
  const readings = new Set([e164, ...legacyForms(e164)]);
  const m = /^\+33(\d{9})$/.exec(e164);
  if (m) {
    const today = normalisePhone(`0${m[1]}`, 'FR');
    if (today) readings.add(today);
  }
  return [...readings];
}

/**
 * `normalisePhone` for a whole import, memoised (lists repeat formats, and parsing is costly):
 * undefined for an empty cell, null for a value that is not a valid number.
 */
export function phoneParser(jurisdiction: string) {
  const cache = new Map<string, string | null>();
  return (value: string | undefined): string | undefined | null => {
    const v = value?.replace(/\s+/g, ' ').trim();
    if (!v) return undefined;
    const compact = compactPhone(v);
    let result = cache.get(compact);
    if (result === undefined) {
      result = normalisePhone(compact, jurisdiction);
      if (cache.size < 200_000) cache.set(compact, result);
    }
    return result;
  };
}

/**
 * A number someone gives to be found by (an objection by phone, OPT-1): read as the import reads
 * it, so that its suppression hash is the one the import computes for the same person (SRC-8).
 * A number written in E.164 that is not known to be valid is taken as written, as the import
 * takes it for the suppression check: an objection is never turned away for it. Null otherwise.
 */
export function lookupPhone(value: string, jurisdiction: string): string | null {
  const number = normalisePhone(value, jurisdiction);
  if (number) return number;
  const compact = compactPhone(value);
  return E164.test(compact) ? compact : null;
}
