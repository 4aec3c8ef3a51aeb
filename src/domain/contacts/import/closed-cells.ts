// SEG-2: the import side of the closed vocabularies. A csp cell must be an INSEE PCS 2020 code
// (group or category, never the forbidden 44), a polling-station cell a bureau-de-vote number;
// anything else is not stored, so no free text can become a filterable value.
import { checkPcs } from '../../../policy/vocabularies/pcs-2020.ts';
import { pollingStationCode } from '../../../policy/vocabularies/polling-station.ts';

/** The stored form of a closed-vocabulary cell, or null when the value is outside it. */
export function closedCell(field: 'csp' | 'pollingStation', value: string): string | null {
  if (field === 'pollingStation') return pollingStationCode(value);
  const pcs = checkPcs(value);
  return pcs.ok ? pcs.code : null;
}
