// Which column feeds which field. Headers are matched after normalisation (case, accents,
// spaces and punctuation ignored), so "Nom de naissance", "NomdeNaissance" and "NOM_DE_NAISSANCE"
// are one header. Columns that map to nothing are reported and never stored (minimisation).
import { DomainError } from '../../errors.ts';
import { printable } from '../../validation.ts';
import { checkImportHeader } from '../../../policy/targeting.ts';

export const IMPORT_FIELDS = [
  'birthName',
  'usageName',
  'firstNames',
  'sex',
  'birthDate',
  'birthYear',
  'email',
  'phone',
  'streetAddress',
  'postalCode',
  'communeName',
  'communeCode',
  'pollingStation',
  'csp',
  'consentEmail',
  'consentSms',
  'consentPhone',
  'consentPost',
  'consentWording',
  'consentDate',
  'consentProof',
  // Recognised only to be dropped, never stored (SRC-2, SEG-2).
  'birthplace',
  'nationality',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields that are recognised so that they can be dropped and counted, never stored. */
export const NEVER_STORED: ReadonlySet<ImportField> = new Set(['birthplace', 'nationality']);

const HEADERS: Record<ImportField, string[]> = {
  birthName: [
    'nomdenaissance',
    'nomnaissance',
    'nom',
    'nomdefamille',
    'nompatronymique',
    'lastname',
    'surname',
    'familyname',
  ],
  usageName: [
    'nomdusage',
    'nomusage',
    'nomusuel',
    'nomdepouse',
    'nommarital',
    'usagename',
    'marriedname',
  ],
  firstNames: ['prenoms', 'prenom', 'firstname', 'firstnames', 'givenname', 'givennames'],
  sex: ['sexe', 'sex', 'gender', 'genre', 'civilite'],
  birthDate: [
    'datedenaissance',
    'datenaissance',
    'nele',
    'birthdate',
    'dateofbirth',
    'dob',
    'birthday',
  ],
  birthYear: ['anneedenaissance', 'anneenaissance', 'birthyear', 'yearofbirth'],
  email: [
    'email',
    'mail',
    'courriel',
    'adressemail',
    'adresseemail',
    'adressecourriel',
    'adresseelectronique',
    'emailaddress',
  ],
  phone: [
    'telephone',
    'tel',
    'portable',
    'mobile',
    'gsm',
    'telephoneportable',
    'telportable',
    'numerodetelephone',
    'phone',
    'phonenumber',
    'mobilephone',
    'cellphone',
  ],
  streetAddress: [
    'adresse',
    'adresse1',
    'adresse2',
    'adresse3',
    'adressepostale',
    'numerovoie',
    'numerodevoie',
    'indicerepetition',
    'typevoie',
    'typedevoie',
    'libellevoie',
    'libelledevoie',
    'libelledelavoie',
    'nomvoie',
    'nomdelavoie',
    'voie',
    'rue',
    'complementadresse',
    'complementadresse1',
    'complementadresse2',
    'complementdadresse',
    'complement1',
    'complement2',
    'complementdelocalisation1',
    'complementdelocalisation2',
    'lieudit',
    'address',
    'address1',
    'address2',
    'addressline1',
    'addressline2',
    'street',
    'streetaddress',
  ],
  postalCode: ['codepostal', 'cp', 'postalcode', 'zip', 'zipcode', 'postcode'],
  communeName: [
    'commune',
    'ville',
    'localite',
    'libellecommune',
    'libelledelacommune',
    'nomcommune',
    'communederesidence',
    'city',
    'town',
  ],
  communeCode: [
    'codecommune',
    'codedelacommune',
    'codeinsee',
    'insee',
    'codeinseecommune',
    'communecode',
    'inseecode',
  ],
  pollingStation: [
    'bureaudevote',
    'codebureaudevote',
    'codedubureaudevote',
    'numerobureaudevote',
    'bureau',
    'bv',
    'pollingstation',
    'precinct',
  ],
  csp: [
    'csp',
    'pcs',
    'categoriesocioprofessionnelle',
    'categoriesocioprofessionelle',
    'socioprofessionalcategory',
  ],
  consentEmail: [
    'consentementemail',
    'consentementmail',
    'consentementcourriel',
    'optinemail',
    'emailoptin',
    'consentemail',
  ],
  consentSms: ['consentementsms', 'optinsms', 'smsoptin', 'consentsms'],
  // SRC-3: a purchased number or address is called or written to only with this consent.
  consentPhone: [
    'consentementtelephone',
    'consentementappel',
    'consentementappels',
    'optintelephone',
    'phoneoptin',
    'consentphone',
    'consentcalls',
  ],
  consentPost: [
    'consentementcourrier',
    'consentementpostal',
    'optincourrier',
    'postoptin',
    'consentpost',
    'consentletters',
  ],
  consentWording: [
    'libelleconsentement',
    'texteconsentement',
    'formulationconsentement',
    'consentwording',
    'consenttext',
  ],
  consentDate: ['dateconsentement', 'datedeconsentement', 'dateoptin', 'consentdate', 'optindate'],
  consentProof: [
    'preuveconsentement',
    'referencepreuve',
    'preuve',
    'consentproof',
    'proofreference',
  ],
  birthplace: [
    'communedenaissance',
    'lieudenaissance',
    'villedenaissance',
    'paysdenaissance',
    'departementdenaissance',
    'codecommunedenaissance',
    'codedelacommunedenaissance',
    'libellecommunedenaissance',
    'libelledelacommunedenaissance',
    'codepaysdenaissance',
    'codedupaysdenaissance',
    'libellepaysdenaissance',
    'libelledupaysdenaissance',
    'birthplace',
    'placeofbirth',
    'countryofbirth',
    'birthcountry',
    'cityofbirth',
  ],
  nationality: [
    'nationalite',
    'nationalites',
    'codenationalite',
    'libellenationalite',
    'nationality',
    'citizenship',
  ],
};

export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const AUTO = new Map<string, ImportField>(
  Object.entries(HEADERS).flatMap(([field, names]) => names.map((n) => [n, field as ImportField])),
);

export type ColumnPlan = {
  headers: string[];
  /** For each column index, the field it feeds, or undefined when unmapped. */
  fields: (ImportField | undefined)[];
  unmapped: string[];
  /** Whether each column's field was chosen by an explicit mapping (checked: mapped-values.ts). */
  explicit: boolean[];
  /** The rule under which each dropped column is dropped (SEG-2: a forbidden criterion; SRC-2). */
  droppedRules: Record<string, 'SEG-2' | 'SRC-2'>;
};

/** The header's key for matching: Latin-folded, or Unicode-folded when nothing Latin is left. */
export function headerKey(header: string): string {
  return (
    normaliseHeader(header) ||
    header
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '')
  );
}

/** Parses `--map HEADER=FIELD` overrides (FIELD may be `ignore`). */
export function parseMapOverrides(pairs: string[]): Record<string, ImportField | 'ignore'> {
  const result: Record<string, ImportField | 'ignore'> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    const header = pair.slice(0, at).trim();
    const field = pair.slice(at + 1).trim();
    if (at <= 0 || !field)
      throw DomainError.keyed(
        'invalid',
        'import.map_malformed',
        `--map "${pair}" must be HEADER=FIELD`,
      );
    if (field !== 'ignore' && !(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw DomainError.keyed(
        'invalid',
        'import.map_unknown_field',
        `--map "${pair}": unknown field "${field}"; fields are ${IMPORT_FIELDS.filter((f) => !NEVER_STORED.has(f)).join(', ')}, or ignore`,
        { field, known: IMPORT_FIELDS.filter((f) => !NEVER_STORED.has(f)).join(', ') },
      );
    }
    result[header] = field as ImportField | 'ignore';
  }
  return result;
}

/**
 * Two columns with one name, as headers are matched (case, accents, spaces ignored): which one
 * feeds the field would be a guess, so a duplicated header that maps to a field is refused, and
 * so is a --map naming it (other than `ignore`, which leaves them all out). Duplicated columns
 * that map to nothing, or are dropped anyway (SEG-2, SRC-2), are dropped and counted each.
 */
function checkDuplicateHeaders(
  headers: string[],
  fields: (ImportField | undefined)[],
  droppedRules: Record<string, 'SEG-2' | 'SRC-2'>,
  overrides: Record<string, ImportField | 'ignore'>,
  byNormalised: Map<string, ImportField | 'ignore'>,
): void {
  const columnsByKey = new Map<string, number[]>();
  headers.forEach((header, i) => {
    const key = headerKey(header);
    columnsByKey.set(key, [...(columnsByKey.get(key) ?? []), i]);
  });
  for (const [key, columns] of columnsByKey) {
    if (columns.length < 2) continue;
    const name = headers[columns[0]!]!;
    const positions = columns.map((i) => i + 1).join(', ');
    const override = columns
      .map((i) => overrides[headers[i]!] ?? byNormalised.get(key))
      .find((o) => o !== undefined);
    if (override !== undefined && override !== 'ignore')
      throw DomainError.keyed(
        'invalid',
        'import.map_ambiguous',
        `--map "${name}=${override}" is ambiguous: the file has ${columns.length} columns named "${name}" (columns ${positions}); rename them in the file`,
        { header: name, columns: positions },
      );
    const mapped = columns.some(
      (i) => fields[i] !== undefined && !Object.hasOwn(droppedRules, headers[i]!),
    );
    if (mapped)
      throw DomainError.keyed(
        'invalid',
        'import.duplicate_header',
        `the file has ${columns.length} columns named "${name}" (columns ${positions}): rename or remove one, or leave them all out with --map "${name}=ignore"`,
        { header: name, columns: positions },
      );
  }
}

export function planColumns(
  rawHeaders: string[],
  overrides: Record<string, ImportField | 'ignore'> = {},
): ColumnPlan {
  // Header names are shown back and used as keys in clear: make them printable first.
  const headers = rawHeaders.map((h, i) => printable(h.trim()) || `column ${i + 1}`);
  const byNormalised = new Map(Object.entries(overrides).map(([h, f]) => [headerKey(h), f]));
  const used = new Set<string>();
  const explicit: boolean[] = [];
  const droppedRules: Record<string, 'SEG-2' | 'SRC-2'> = {};
  const fields = headers.map((header, i) => {
    const key = headerKey(header);
    const auto = AUTO.get(key);
    const override = overrides[header] ?? byNormalised.get(key);
    if (override !== undefined) used.add(header in overrides ? header : key);
    explicit[i] = override !== undefined && override !== 'ignore';
    if (auto && NEVER_STORED.has(auto)) {
      if (override !== undefined && override !== 'ignore')
        throw DomainError.refused([
          {
            rule: auto === 'nationality' ? 'SEG-2' : 'SRC-2',
            key:
              auto === 'nationality'
                ? 'import.nationality_never_stored'
                : 'import.birthplace_never_stored',
            params: { header, field: override },
            message: `column "${header}" holds ${auto === 'nationality' ? 'a nationality' : 'a birthplace'}, which is never stored; it cannot be mapped to ${override}`,
          },
        ]);
      if (override !== 'ignore') droppedRules[header] = auto === 'nationality' ? 'SEG-2' : 'SRC-2';
      return override === 'ignore' ? undefined : auto;
    }
    // SEG-2: a header naming a forbidden criterion is dropped whatever it is mapped to.
    const forbidden = checkImportHeader(header);
    if (forbidden.length > 0) {
      if (override !== undefined && override !== 'ignore')
        throw DomainError.refused(
          forbidden.map((v) => ({ ...v, message: `${v.message} (asked: ${override})` })),
        );
      explicit[i] = false;
      droppedRules[header] = 'SEG-2';
      return undefined;
    }
    if (override === 'ignore') return undefined;
    return override ?? auto;
  });
  checkDuplicateHeaders(headers, fields, droppedRules, overrides, byNormalised);
  const unknown = Object.keys(overrides).filter((h) => !used.has(h) && !used.has(headerKey(h)));
  if (unknown.length > 0) {
    throw DomainError.keyed(
      'invalid',
      'import.map_unknown_columns',
      `--map names columns the file does not have: ${unknown.join(', ')}; its columns: ${headers.join(', ')}`,
      { columns: unknown.join(', ') },
    );
  }
  const unmapped = headers.filter((_, i) => fields[i] === undefined);
  return { headers, fields, unmapped, explicit, droppedRules };
}
