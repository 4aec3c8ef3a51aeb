// The recipient's own time zone, from the INSEE commune code: the overseas departments and
// collectivities are not on Paris time, and the election silence (CAL-1) and the send window
// (CH-HOURS) are local to the recipient. Codes 97x/98x are three characters long (the generated
// `contacts.department` column stops at two for 98x), so the zone is read from the commune code.
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

/**
 * The time zone of someone living in this commune (or of a territory code: a commune, or a
 * department such as 974). Metropolitan France, Corsica, no commune at all, and every pack but
 * FR's: the pack's zone.
 */
export function timeZoneOf(pack: Pack, communeCode: string | null | undefined): string {
  if (pack.code !== 'FR' || !communeCode) return pack.timeZone;
  return OVERSEAS_TIME_ZONES[communeCode.trim().slice(0, 3)] ?? pack.timeZone;
}

/** Every zone a pack's recipients may live in: its own first. */
export function timeZonesOf(pack: Pack): string[] {
  return pack.code === 'FR'
    ? [pack.timeZone, ...new Set(Object.values(OVERSEAS_TIME_ZONES))]
    : [pack.timeZone];
}
