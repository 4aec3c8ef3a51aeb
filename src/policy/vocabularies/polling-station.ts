// SEG-2: the closed format of the `pollingStation` targeting field. Electoral-list extracts of
// the Répertoire électoral unique name a voter's polling station by the number of the commune's
// "bureau de vote" ("code du bureau de vote"), which communes number from 1 and extracts write as
// four digits ("0001", "0312"). A polling station here is exactly that: four digits, not "0000".
// A spreadsheet that dropped the leading zeros ("1", "312") is padded back, as for postal codes.
// Anything else (a name, a word, a religion laundered under this column) is not a polling station.

export const POLLING_STATION_FORMAT = '^[0-9]{4}$';

/** A cell -> its 4-digit polling-station code, or null when it is not one. */
export function pollingStationCode(value: string): string | null {
  const v = value.trim();
  if (!/^\d{1,4}$/.test(v)) return null;
  const code = v.padStart(4, '0');
  return code === '0000' ? null : code;
}

/** A filter value: exactly the stored form, four digits. */
export const isPollingStationCode = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}$/.test(value) && value !== '0000';
