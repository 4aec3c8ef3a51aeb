// SEG-1 / SEG-2: which fields a segment may filter on. A field that reveals or proxies ethnic
// origin (names, birthplace, country of birth, nationality) or any special category (religion,
// health, sexual life, union membership, ethnic origin) is refused with SEG-2, by name, whatever
// its spelling; anything else unknown is simply not a field.
import type { Pack } from './packs.ts';
import type { Violation } from './rules.ts';
import { forbiddenCriterion } from './forbidden-criteria.ts';

// The criteria themselves are one list, shared with import headers: forbidden-criteria.ts.

/** SEG-2 violation for a forbidden field, or none. Allowed fields are never forbidden. */
export function checkTargetingField(pack: Pack, field: string): Violation[] {
  if (pack.targetingFields.includes(field)) return [];
  const criterion = forbiddenCriterion(field, 'field');
  if (!criterion) return [];
  return [
    {
      rule: 'SEG-2',
      key: 'segment.forbidden_field',
      params: { field, criterion: criterion.id },
      message: `cannot filter on "${field}": ${criterion.why}; targeting by it is forbidden`,
    },
  ];
}

/** SEG-2 violation for an import column whose header names a forbidden criterion, or none. */
export function checkImportHeader(header: string): Violation[] {
  const criterion = forbiddenCriterion(header, 'header');
  if (!criterion) return [];
  return [
    {
      rule: 'SEG-2',
      key: 'import.forbidden_header',
      params: { header, criterion: criterion.id },
      message: `column "${header}" names a forbidden criterion (${criterion.why}); it is dropped and cannot be mapped to any field`,
    },
  ];
}
