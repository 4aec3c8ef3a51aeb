// SEG-1 / SEG-2: which fields a segment may filter on. A field that reveals or proxies ethnic
// origin (names, birthplace, country of birth, nationality) or any special category (religion,
// health, sexual life, union membership, ethnic origin) is refused with SEG-2, by name, whatever
// its spelling; anything else unknown is simply not a field.
import type { Pack } from './packs.ts';
import type { Violation } from './rules.ts';

const FORBIDDEN_STEMS: [RegExp, string][] = [
  [
    /name|nom|prenom|patronym|consonan|given/,
    'names (or name consonance) reveal or proxy ethnic origin',
  ],
  [
    /birthplace|placeofbirth|lieudenaissance|communedenaissance|villedenaissance|birthcity|cityofbirth/,
    'a birthplace proxies ethnic origin',
  ],
  [/country|pays|birthcountry/, 'a country of birth proxies ethnic origin'],
  [/nationalit|citizenship/, 'nationality proxies ethnic origin'],
  [/ethni|origin|race|racial/, 'ethnic origin is special-category data (GDPR art. 9)'],
  [/religi|confession|faith|culte/, 'religion is special-category data (GDPR art. 9)'],
  [/health|sante|medical|handicap|disabilit/, 'health is special-category data (GDPR art. 9)'],
  [
    /sexual|sexuel|orientation/,
    'sexual life and orientation are special-category data (GDPR art. 9)',
  ],
  [/union|syndic/, 'union membership is special-category data (GDPR art. 9)'],
];

const normalise = (field: string) =>
  field
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z.]/g, '');

/** SEG-2 violation for a forbidden field, or none. Allowed fields are never forbidden. */
export function checkTargetingField(pack: Pack, field: string): Violation[] {
  if (pack.targetingFields.includes(field)) return [];
  const key = normalise(field);
  for (const [pattern, why] of FORBIDDEN_STEMS) {
    if (pattern.test(key)) {
      return [
        {
          rule: 'SEG-2',
          message: `cannot filter on "${field}": ${why}; targeting by it is forbidden`,
        },
      ];
    }
  }
  return [];
}
