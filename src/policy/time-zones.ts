// The recipient's own time zone, from the INSEE commune code: the overseas departments and
// collectivities are not on Paris time, and the election silence (CAL-1) and the send window
// (CH-HOURS) are local to the recipient. Codes 97x/98x are three characters long (the generated
// `contacts.department` column stops at two for 98x), so the zone is read from the commune code,
// or, when a contact has none, from the postal code.
import type { Pack } from './packs.ts';

/** INSEE department or collectivity code (three characters) -> IANA time zone. */
export const OVERSEAS_TIME_ZONES: Readonly<Record<string, string>> = {
  '971': 'America/Guadeloupe',
  '972': 'America/Martinique',
  '973': 'America/Cayenne',
  '974': 'Indian/Reunion',
  '975': 'America/Miquelon',
  '976': 'Indian/Mayotte',
  '977': 'America/St_Barthelemy',
  '978': 'America/Marigot',
  '986': 'Pacific/Wallis',
  '987': 'Pacific/Tahiti',
  '988': 'Pacific/Noumea',
};

// Postal codes of the overseas (971xx Guadeloupe, ..., 988xx Nouvelle-Calédonie): purchased files
// often carry only the postal code. Saint-Barthélemy (97133) and Saint-Martin (97150) share the
// 971 prefix with Guadeloupe; Wallis-et-Futuna is 986xx, Polynésie 987xx, Nouvelle-Calédonie 988xx.
const POSTAL_EXCEPTIONS: Readonly<Record<string, string>> = {
  '97133': 'America/St_Barthelemy',
  '97150': 'America/Marigot',
};

/** The zone of an FR postal code, or undefined for metropolitan France and Corsica. */
function zoneOfPostalCode(postalCode: string): string | undefined {
  const code = postalCode.trim();
  if (!/^\d{5}$/.test(code)) return undefined;
  return POSTAL_EXCEPTIONS[code] ?? OVERSEAS_TIME_ZONES[code.slice(0, 3)];
}

/**
 * The time zone of someone living in this commune (or of a territory code: a commune, or a
 * department such as 974), or else, with no commune code, at this postal code. Metropolitan
 * France, Corsica, neither code known, and every pack but FR's: the pack's zone.
 */
export function timeZoneOf(
  pack: Pack,
  communeCode: string | null | undefined,
  postalCode?: string | null,
): string {
  if (pack.code !== 'FR') return pack.timeZone;
  if (communeCode) return OVERSEAS_TIME_ZONES[communeCode.trim().slice(0, 3)] ?? pack.timeZone;
  return (postalCode && zoneOfPostalCode(postalCode)) || pack.timeZone;
}

/** Every zone a pack's recipients may live in: its own first. */
export function timeZonesOf(pack: Pack): string[] {
  return pack.code === 'FR'
    ? [pack.timeZone, ...new Set(Object.values(OVERSEAS_TIME_ZONES))]
    : [pack.timeZone];
}
