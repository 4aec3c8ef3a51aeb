// SEG-2: the closed vocabulary of the `csp` targeting field, INSEE's PCS 2020 nomenclature
// ("professions et catégories socioprofessionnelles"), its two aggregated levels: the 6 groupes
// socioprofessionnels (1 digit) and the 29 catégories socioprofessionnelles (2 digits). A csp
// value is one of these codes and nothing else, so no free text (a religion, an origin...) can be
// stored in the field or filtered on under its name.
//
// Sources (insee.fr/fr/metadonnees/pcs2020, and INSEE's definition page c1493): PCS 2020 has
// 6 groups and 29 categories whose codes and contents are unchanged since 1982 and 2003; some
// labels were reworded in 2020 (long labels, in both genders). `label2020` says whether the label
// below was read on INSEE's PCS 2020 pages; the others could not be checked there and carry the
// official PCS 2003 label of the same code (same category, same content). The detailed levels
// (121 professions regroupées, 311 professions) are not included: they could not be confirmed.
// The groups 7 (retraités) and 8 (autres sans activité) belong to the older 8-position
// aggregate, not to PCS 2020's six groups, and are not accepted either.
//
// Category 44 "Clergé, religieux" exists in the nomenclature but reveals a religious belief
// (GDPR art. 9): it is not accepted as a value (SEG-2), at import or in a filter.

export type PcsLevel = 'group' | 'category';
export type PcsEntry = {
  code: string;
  level: PcsLevel;
  /** The group a category belongs to (its first digit). */
  group?: string;
  label: string;
  /** True when the label was read on INSEE's PCS 2020 pages; false: the PCS 2003 label. */
  label2020: boolean;
  /** A code that reveals special-category data: never stored, never filtered on. */
  forbidden?: 'SEG-2';
};

const g = (code: string, label: string, label2020: boolean): PcsEntry => ({
  code,
  level: 'group',
  label,
  label2020,
});
const c = (code: string, label: string, label2020: boolean, forbidden?: 'SEG-2'): PcsEntry => ({
  code,
  level: 'category',
  group: code[0],
  label,
  label2020,
  ...(forbidden ? { forbidden } : {}),
});

export const PCS_2020: readonly PcsEntry[] = [
  g('1', 'Agriculteurs exploitants', false),
  c('10', 'Agriculteurs exploitants', false),
  g('2', "Artisans, commerçants et chefs d'entreprise", false),
  c('21', 'Artisans', false),
  c('22', 'Commerçants et assimilés', false),
  c('23', "Chefs d'entreprise de 10 salariés ou plus", false),
  g('3', 'Cadres et professions intellectuelles supérieures', true),
  c('31', 'Professions libérales', false),
  c('33', 'Cadres de la fonction publique', false),
  c('34', 'Professeurs, professions scientifiques', false),
  c('35', "Professions de l'information, des arts et des spectacles", false),
  c('37', "Cadres des services administratifs et commerciaux d'entreprise", true),
  c('38', "Ingénieurs et cadres techniques d'entreprise", false),
  g('4', 'Professions intermédiaires', true),
  c('42', 'Professeurs des écoles, instituteurs et assimilés', false),
  c('43', 'Professions intermédiaires de la santé et du travail social', false),
  c('44', 'Clergé, religieux', false, 'SEG-2'),
  c('45', 'Professions intermédiaires administratives de la fonction publique', false),
  c('46', 'Professions intermédiaires administratives et commerciales des entreprises', true),
  c('47', 'Techniciens', false),
  c('48', 'Contremaîtres, agents de maîtrise', false),
  g('5', 'Employés / Employées', true),
  c(
    '52',
    'Employés administratifs / Employées administratives de la fonction publique, agents / agentes de service et auxiliaires de santé',
    true,
  ),
  c('53', 'Policiers et militaires', false),
  c('54', "Employés administratifs d'entreprise", false),
  c('55', 'Employés de commerce', false),
  c('56', 'Personnels des services directs aux particuliers', false),
  g('6', 'Ouvriers / Ouvrières', true),
  c('62', 'Ouvriers qualifiés / Ouvrières qualifiées de type industriel', true),
  c('63', 'Ouvriers qualifiés / Ouvrières qualifiées de type artisanal', true),
  c(
    '64',
    'Conducteurs / Conductrices de véhicules de transport, chauffeurs-livreurs / chauffeuses-livreuses, coursiers / coursières',
    true,
  ),
  c(
    '65',
    "Conducteurs / Conductrices d'engins, caristes, magasiniers / magasinières et ouvriers / ouvrières du transport (non routier)",
    true,
  ),
  c('67', 'Ouvriers peu qualifiés / Ouvrières peu qualifiées de type industriel', true),
  c('68', 'Ouvriers peu qualifiés / Ouvrières peu qualifiées de type artisanal', true),
  c(
    '69',
    "Ouvriers / Ouvrières agricoles, des travaux forestiers, de la pêche et de l'aquaculture",
    true,
  ),
];

const BY_CODE = new Map(PCS_2020.map((e) => [e.code, e]));

/** The codes a csp value may take: every group and category, except the forbidden ones. */
export const PCS_CODES: readonly string[] = PCS_2020.filter((e) => !e.forbidden).map((e) => e.code);

export type PcsCheck = { ok: true; code: string } | { ok: false; forbidden: boolean };

/** A cell or filter value -> its PCS code, or why not (a forbidden code, or not a code at all). */
export function checkPcs(value: string): PcsCheck {
  const code = value.trim();
  const entry = BY_CODE.get(code);
  if (!entry) return { ok: false, forbidden: false };
  if (entry.forbidden) return { ok: false, forbidden: true };
  return { ok: true, code };
}

export const isPcsCode = (value: unknown): value is string =>
  typeof value === 'string' && checkPcs(value).ok && value === value.trim();
