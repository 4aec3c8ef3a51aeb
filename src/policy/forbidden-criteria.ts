// SEG-2: the one list of criteria no one may target by, shared by segment fields (a filter on
// "religion" is refused) and import headers (a "Religion" column is dropped and cannot be mapped
// anywhere), so no criterion can come in under another name. Names are matched in French and
// English after folding case, accents, spaces and punctuation, and in Arabic after a
// Unicode-aware folding (hamza forms, tā' marbūṭa, alif maqṣūra, diacritics and tatweel, the
// article "ال"), because the Latin folding leaves nothing of an Arabic header.

export type ForbiddenCriterion = {
  id: string;
  why: string;
  /** Matched anywhere in the Latin-folded name (a-z only). */
  latin: RegExp;
  /** Latin patterns that also match import headers, when they differ from `latin` (see names). */
  header?: RegExp | null;
  /** Whole Arabic words (folded, without the article). */
  arabicWords?: string[];
  /** Arabic fragments distinctive enough to match anywhere in the folded, spaceless name. */
  arabicFragments?: string[];
  /** Arabic word pairs that together name the criterion ("مكان" + "الولادة": birthplace). */
  arabicPairs?: [string[], string[]];
};

// A birthplace under any short or loose name ("LIEU_NAISS", "CP naissance", "Ville natale",
// "Town of birth", "Hometown"): a birth stem anywhere, unless the name is that of a date, a year or
// a name ("Date de naissance", "Année de naissance", "Nom de naissance", "Birthday" stay lawful),
// and even then when it also names a place ("Nom de la commune de naissance"). "Connaissance" is
// not a birth.
const BIRTH_STEM = '(?:(?<!con)naiss|natal|natif|birth|born|hometown)';
const DATE_YEAR_OR_NAME = '(?:date|dob|jour|day|annee|year|mois|month|nom|name)';
const PLACE_WORD =
  '(?:lieu|commune|ville|pays|departement|localite|region|town|city|place|country|village|province|wilaya|natal|natif|hometown)';
const BIRTH_STEM_PLACE = new RegExp(
  `^(?!.*${DATE_YEAR_OR_NAME}).*${BIRTH_STEM}|^(?=.*${PLACE_WORD}).*${BIRTH_STEM}`,
);

export const FORBIDDEN_CRITERIA: readonly ForbiddenCriterion[] = [
  {
    id: 'names',
    why: 'names (or name consonance) reveal or proxy ethnic origin',
    latin: /name|nom|prenom|patronym|consonan|given/,
    // Name columns are identity, needed to know who a row is; they are never targeting fields,
    // so an import keeps them. Only "consonance" (an inference from a name) is dropped.
    header: /consonan/,
  },
  {
    id: 'birthplace',
    why: 'a birthplace proxies ethnic origin',
    latin: new RegExp(
      /birthplace|placeofbirth|birthcity|cityofbirth|birthtown|(lieu|commune|ville|pays|departement|localite|region)(de)?(la|du)?naissance|naissance(lieu|commune|ville|pays)|^n(e|ee)a$|^borni?n?$/
        .source +
        '|' +
        BIRTH_STEM_PLACE.source,
    ),
    arabicPairs: [
      ['مكان', 'محل', 'بلد', 'مدينه', 'مسقط'],
      ['ازدياد', 'ولاده', 'ميلاد', 'راس'],
    ],
  },
  {
    id: 'country',
    why: 'a country of birth proxies ethnic origin',
    latin: /country|pays|birthcountry/,
    arabicWords: ['بلد', 'دوله', 'وطن'],
  },
  {
    id: 'nationality',
    why: 'nationality proxies ethnic origin',
    latin: /nationalit|citizenship|citoyennete/,
    arabicWords: ['جنسيه', 'مواطنه'],
    arabicFragments: ['جنسيه'],
  },
  {
    id: 'ethnic_origin',
    why: 'ethnic origin is special-category data (GDPR art. 9)',
    latin: /ethni|origin|race|racial/,
    arabicWords: ['اصل', 'اصول', 'عرق', 'عرقيه', 'اثنيه', 'اثني', 'قوميه', 'قبيله'],
    arabicFragments: ['عرقي', 'اثني'],
  },
  {
    id: 'religion',
    why: 'religion is special-category data (GDPR art. 9)',
    latin: /religi|confession|faith|culte|croyance|belief/,
    arabicWords: ['دين', 'ديانه', 'مذهب', 'طائفه', 'عقيده', 'مله'],
    arabicFragments: ['ديانه', 'الدين', 'مذهب', 'طائفه', 'عقيده'],
  },
  {
    id: 'health',
    why: 'health is special-category data (GDPR art. 9)',
    latin: /health|sante|medical|handicap|disabilit/,
    arabicWords: ['صحه', 'صحيه', 'مرض', 'امراض', 'اعاقه', 'طبيه'],
    arabicFragments: ['الصحه', 'صحيه', 'اعاقه'],
  },
  {
    id: 'sexual_life',
    why: 'sexual life and orientation are special-category data (GDPR art. 9)',
    latin: /sexual|sexuel|orientation/,
    arabicWords: ['ميول'],
    arabicFragments: ['جنسي', 'مثلي'],
  },
  {
    id: 'union',
    why: 'union membership is special-category data (GDPR art. 9)',
    latin: /union|syndic/,
    arabicWords: ['نقابه', 'نقابي', 'نقابيه'],
    arabicFragments: ['نقاب'],
  },
];

/** Latin folding: accents and case away, then letters only (as the import folds headers). */
export function latinKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Arabic folding: the words of the name's Arabic letters, letter variants made one. */
export function arabicWords(name: string): string[] {
  const folded = name
    .normalize('NFKC')
    .replace(/[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, '') // harakat, tatweel
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي');
  return (folded.match(/[\u0621-\u064A]+/g) ?? []).map((w) =>
    w.length > 3 && w.startsWith('ال') ? w.slice(2) : w,
  );
}

function matchesArabic(c: ForbiddenCriterion, words: string[]): boolean {
  if (words.length === 0) return false;
  const compact = words.join('');
  const bare = compact.length > 3 && compact.startsWith('ال') ? compact.slice(2) : compact;
  if (c.arabicWords?.some((w) => words.includes(w) || bare === w)) return true;
  if (c.arabicFragments?.some((f) => compact.includes(f))) return true;
  if (c.arabicPairs) {
    const [a, b] = c.arabicPairs;
    if (a.some((x) => compact.includes(x)) && b.some((y) => compact.includes(y))) return true;
  }
  return false;
}

/** The forbidden criterion a name (a segment field, a column header) names, if any. */
export function forbiddenCriterion(
  name: string,
  as: 'field' | 'header',
): ForbiddenCriterion | undefined {
  const key = latinKey(name);
  const words = arabicWords(name);
  return FORBIDDEN_CRITERIA.find((c) => {
    const latin = as === 'header' && c.header !== undefined ? c.header : c.latin;
    return (latin !== null && key !== '' && latin.test(key)) || matchesArabic(c, words);
  });
}
