// Property (SEG-2): for any header naming a forbidden criterion, in French, English or Arabic,
// however it is cased, accented, spaced or punctuated, and for any mapping of it (none, or to any
// field), no value of that column ever reaches a filterable column of contacts. The column's
// values are chosen to be VALID for the field it is mapped to (a PCS code for csp, "F" for sex...),
// so a mapping that got through would show. Fixed seeds; the hostile cases are counted.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { DomainError } from '../../errors.ts';
import { IMPORT_FIELDS, NEVER_STORED, planColumns, type ImportField } from './columns.ts';
import { importContacts } from './import-contacts.ts';

const FRENCH = [
  'Religion',
  'Confession',
  'Culte',
  'Croyance',
  'Origine',
  'Origine ethnique',
  'Ethnie',
  'Race',
  'Né(e) à',
  'Née à',
  'Lieu de naissance',
  'Pays',
  'Pays de naissance',
  'Nationalité',
  'Syndicat',
  'Appartenance syndicale',
  'Santé',
  'État de santé',
  'Handicap',
  'Orientation sexuelle',
  'LIEU_NAISS',
  'Lieu naiss.',
  'Commune naiss',
  'CP naissance',
  'Code INSEE naissance',
  'Dép. naissance',
  'Ville natale',
  'Nom de la commune de naissance',
];
const ENGLISH = [
  'Religion',
  'Faith',
  'Belief',
  'Ethnicity',
  'Ethnic origin',
  'Race',
  'Place of birth',
  'Birthplace',
  'Country',
  'Country of birth',
  'Born in',
  'Nationality',
  'Citizenship',
  'Trade union',
  'Union membership',
  'Health',
  'Medical condition',
  'Disability',
  'Sexual orientation',
  'Town of birth',
  'Hometown',
  'Birth city name',
];
const ARABIC = [
  'الدين',
  'الديانة',
  'المذهب',
  'الجنسية',
  'الأصل',
  'العرق',
  'الأصل العرقي',
  'مكان الازدياد',
  'مكان الولادة',
  'محل الميلاد',
  'البلد',
  'النقابة',
  'الانتماء النقابي',
  'الصحة',
  'الحالة الصحية',
  'الإعاقة',
];

const PUNCTUATION = [' ', '  ', '_', '-', '.', ':', '(', ')', '*', '/', "'", '\t', '\u00a0'];
const ACCENTS: Record<string, string[]> = {
  e: ['e', 'é', 'è', 'ê', 'ë', 'É'],
  a: ['a', 'à', 'â', 'À'],
  i: ['i', 'î', 'ï'],
  o: ['o', 'ô', 'ö'],
  u: ['u', 'ù', 'û', 'ü'],
};

/** A Latin name, each letter recased or re-accented, punctuation slipped in anywhere. */
const latinVariant = (name: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.nat(), fc.nat()), {
        minLength: name.length,
        maxLength: name.length,
      }),
      fc.constantFrom(...PUNCTUATION),
      fc.constantFrom(...PUNCTUATION, ''),
    )
    .map(([choices, before, after]) => {
      const plain = name.normalize('NFD').replace(/\p{Diacritic}/gu, '');
      const out = [...plain].map((ch, i) => {
        const [accent, upper, punct, which] = choices[i]!;
        const forms = ACCENTS[ch.toLowerCase()];
        let c = forms ? forms[accent % forms.length]! : ch;
        c = upper ? c.toUpperCase() : c.toLowerCase();
        return punct % 5 === 0 ? c + PUNCTUATION[which % PUNCTUATION.length]! : c;
      });
      return `${before}${out.join('')}${after}`;
    });

const HARAKAT = ['\u064E', '\u064F', '\u0650', '\u0651', '\u0652', '\u0640'];
/** An Arabic name with diacritics, tatweel, hamza forms, spacing and punctuation slipped in. */
const arabicVariant = (name: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: name.length, maxLength: name.length }),
      fc.constantFrom(...PUNCTUATION, '،', '؛', ''),
      fc.boolean(),
    )
    .map(([choices, around, unhamza]) => {
      const base = unhamza ? name.replace(/[أإآ]/g, 'ا') : name;
      const out = [...base].map((ch, i) => {
        const [kind, which] = choices[i]!;
        if (kind % 4 === 0) return ch + HARAKAT[which % HARAKAT.length]!;
        if (kind % 7 === 0 && ch !== ' ') return ch + PUNCTUATION[which % PUNCTUATION.length]!;
        return ch;
      });
      return `${around}${out.join('')}${around}`;
    });

const hostileHeader = fc.oneof(
  fc
    .constantFrom(...FRENCH)
    .chain(latinVariant)
    .map((h) => ({ h, lang: 'fr' })),
  fc
    .constantFrom(...ENGLISH)
    .chain(latinVariant)
    .map((h) => ({ h, lang: 'en' })),
  fc
    .constantFrom(...ARABIC)
    .chain(arabicVariant)
    .map((h) => ({ h, lang: 'ar' })),
);

const TARGETING: ImportField[] = [
  'csp',
  'pollingStation',
  'sex',
  'birthYear',
  'birthDate',
  'postalCode',
  'communeCode',
  'communeName',
];

/** Any mapping: none (found by its header), ignore, or any field at all, targeting ones often. */
const mapping = fc.oneof(
  fc.constant<ImportField | 'ignore' | undefined>(undefined),
  fc.constantFrom<ImportField | 'ignore'>('ignore', ...IMPORT_FIELDS),
  fc.constantFrom<ImportField>(...TARGETING),
);

/** A value that fits the field, so that a mapping that got through would store it. */
const VALID: Partial<Record<ImportField, string>> = {
  csp: '37',
  pollingStation: '0042',
  sex: 'F',
  birthYear: '1977',
  birthDate: '01/02/1977',
  postalCode: '69003',
  communeCode: '69123',
  communeName: 'Lyon',
  email: 'x@exemple.fr',
  phone: '0612345678',
  consentEmail: 'oui',
  consentSms: 'oui',
};

const NEVER_STORED_RULES = new Set(['SEG-2', 'SRC-2']);

describe('forbidden columns never reach a filterable column (SEG-2, property)', () => {
  it('SEG-2: every forbidden header variant is dropped, and every mapping of it is refused', () => {
    const seen = { fr: 0, en: 0, ar: 0, mapped: 0, targeting: 0 };
    fc.assert(
      fc.property(hostileHeader, mapping, ({ h, lang }, field) => {
        seen[lang as 'fr' | 'en' | 'ar']++;
        const headers = ['Nom', 'Email', h];
        const auto = planColumns(headers);
        const f = auto.fields[2];
        expect(f === undefined || NEVER_STORED.has(f), `"${h}" -> ${f}`).toBe(true);
        expect(auto.droppedRules[auto.headers[2]!]).toMatch(/^(SEG-2|SRC-2)$/);
        if (field === undefined || field === 'ignore') return;
        seen.mapped++;
        if (TARGETING.includes(field)) seen.targeting++;
        let error: unknown;
        try {
          planColumns(headers, { [h]: field });
        } catch (e) {
          error = e;
        }
        if (NEVER_STORED.has(field) && error === undefined) return; // mapped to a dropped field
        expect(error, `"${h}" mapped to ${field}`).toBeInstanceOf(DomainError);
        expect(NEVER_STORED_RULES.has((error as DomainError).rule ?? '')).toBe(true);
      }),
      { seed: 20261201, numRuns: 3000 },
    );
    // The generator did produce the hostile cases, in every language and into targeting fields.
    expect(seen.fr).toBeGreaterThan(500);
    expect(seen.en).toBeGreaterThan(500);
    expect(seen.ar).toBeGreaterThan(500);
    expect(seen.targeting).toBeGreaterThan(500);
  });

  describe('through the import, read back from the database', () => {
    let s: TestServices;
    let orgId: string;
    let sourceId: string;
    const files = tempDir();
    beforeAll(async () => {
      s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
      orgId = (await makeOrg(s)).id;
      sourceId = (await makeSource(s, orgId)).id;
    });
    afterAll(async () => {
      await s.dispose();
      files.remove();
    });

    it('SEG-2: for any forbidden header and any mapping, the filterable columns of contacts hold none of its values', async () => {
      let run = 0;
      const seen = { imported: 0, refused: 0, targeting: 0, ar: 0 };
      await fc.assert(
        fc.asyncProperty(hostileHeader, mapping, async ({ h, lang }, field) => {
          run++;
          if (lang === 'ar') seen.ar++;
          const target = field === 'ignore' ? undefined : field;
          if (target && TARGETING.includes(target)) seen.targeting++;
          const value = (target && VALID[target]) ?? '37';
          const file = writeCsv(files.file(`p${run}.csv`), [
            ['Nom', 'Email', h],
            ['Roux', `p${run}@exemple.fr`, value],
          ]);
          const summary = await importContacts(s.db, {
            keys: s.keys,
            sourceId,
            file,
            mapping: field === undefined ? [] : [`${h}=${field}`],
            actor: 'test',
            clock: s.clock,
          }).catch((e: unknown) => e);
          if (summary instanceof DomainError) {
            expect(NEVER_STORED_RULES.has(summary.rule ?? '')).toBe(true);
            seen.refused++;
          } else {
            expect(summary).toMatchObject({ imported: 1 });
            seen.imported++;
          }
          // Nom and Email feed no filterable column: every one of them must still be empty.
          const leaked = (await s.db.execute(sql`select count(*)::int as n
            from contacts where org_id = ${orgId} and (birth_year is not null or sex is not null
              or commune_code is not null or postal_code is not null or polling_station is not null
              or csp is not null or department is not null)`)) as unknown as {
            rows: { n: number }[];
          };
          expect(leaked.rows[0]!.n, `"${h}" mapped to ${field}`).toBe(0);
        }),
        { seed: 1201, numRuns: 300 },
      );
      expect(seen.imported).toBeGreaterThan(50);
      expect(seen.refused).toBeGreaterThan(100);
      expect(seen.targeting).toBeGreaterThan(80);
      expect(seen.ar).toBeGreaterThan(80);
    }, 120_000);
  });
});
