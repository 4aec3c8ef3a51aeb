// French territory reference data (INSEE codes), from @etalab/decoupage-administratif.
// Loaded once, on first use (the data set is ~9 MB of JSON).
import { createRequire } from 'node:module';
import { normaliseName } from '../../crypto/blind-index.ts';

type CommuneRecord = {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  departement?: string;
  region?: string;
  chefLieu?: string;
  commune?: string;
  codesPostaux?: string[];
};

export type Commune = {
  code: string;
  name: string;
  department: string;
  region: string;
  /** The current commune it belongs to: itself, or Paris/Lyon/Marseille for an arrondissement. */
  commune: string;
};

type Index = {
  byCode: Map<string, Commune>;
  byPostalAndName: Map<string, string>;
};

let index: Index | undefined;

// "Saint-Étienne", "ST ETIENNE" and "St-Etienne" are the same commune.
function communeKey(name: string): string {
  return normaliseName(name)
    .replace(/^(st|ste)(?= )/, (m) => (m === 'st' ? 'saint' : 'sainte'))
    .replace(/ (st|ste) /g, (_m, s: string) => (s === 'st' ? ' saint ' : ' sainte '));
}

function load(): Index {
  const require = createRequire(import.meta.url);
  const records = require('@etalab/decoupage-administratif/data/communes.json') as CommuneRecord[];
  const byCode = new Map<string, Commune>();
  const byPostalAndName = new Map<string, string>();
  const current = new Map(
    records.filter((r) => r.type === 'commune-actuelle').map((r) => [r.code, r]),
  );
  for (const r of records) {
    // Delegated and associated communes resolve to the current commune they belong to.
    const target =
      r.type === 'commune-deleguee' || r.type === 'commune-associee'
        ? current.get(r.chefLieu ?? r.commune ?? '')
        : r;
    if (!target) continue;
    if (
      !byCode.has(r.code) ||
      r.type === 'commune-actuelle' ||
      r.type === 'arrondissement-municipal'
    ) {
      byCode.set(r.code, {
        code: target.code,
        name: target.nom,
        department: target.departement ?? r.departement ?? '',
        region: target.region ?? r.region ?? '',
        commune:
          target.type === 'arrondissement-municipal'
            ? (target.commune ?? target.code)
            : target.code,
      });
    }
    for (const postalCode of r.codesPostaux ?? target.codesPostaux ?? []) {
      byPostalAndName.set(`${postalCode}|${communeKey(r.nom)}`, target.code);
    }
  }
  return { byCode, byPostalAndName };
}

function getIndex(): Index {
  index ??= load();
  return index;
}

/** A commune by INSEE code ("1001" from a spreadsheet that lost its leading zero counts). */
export function communeByCode(code: string): Commune | undefined {
  let c = code.trim().toUpperCase();
  if (/^\d{4}$/.test(c)) c = `0${c}`;
  return getIndex().byCode.get(c);
}

/** Resolves a commune from its code, or else from its name and postal code. */
export function resolveCommune(input: {
  code?: string | undefined;
  name?: string | undefined;
  postalCode?: string | undefined;
}): Commune | undefined {
  if (input.code) {
    const found = communeByCode(input.code);
    if (found) return found;
  }
  if (input.name && input.postalCode) {
    const code = getIndex().byPostalAndName.get(
      `${input.postalCode.trim()}|${communeKey(input.name)}`,
    );
    if (code) return getIndex().byCode.get(code);
  }
  return undefined;
}

/** Whether two INSEE codes designate the same current commune (an arrondissement is in its city). */
export function sameCommune(a: string, b: string): boolean {
  if (a === b) return true;
  const ca = communeByCode(a);
  const cb = communeByCode(b);
  return ca !== undefined && cb !== undefined && ca.commune === cb.commune;
}

type DepartmentRecord = { code: string; region: string; nom: string };
let departments: DepartmentRecord[] | undefined;
function allDepartments(): DepartmentRecord[] {
  departments ??= createRequire(import.meta.url)(
    '@etalab/decoupage-administratif/data/departements.json',
  ) as DepartmentRecord[];
  return departments;
}

export function departmentExists(code: string): boolean {
  return allDepartments().some((d) => d.code === code);
}

/** The departments of a region (INSEE region code), empty if the region does not exist. */
export function departmentsOfRegion(region: string): string[] {
  return allDepartments()
    .filter((d) => d.region === region)
    .map((d) => d.code);
}

/** A commune and, for Paris, Lyon and Marseille, its municipal arrondissements. */
export function communeAndArrondissements(code: string): string[] {
  const found = communeByCode(code);
  if (!found) return [];
  const codes = [...getIndex().byCode.values()]
    .filter((c) => c.commune === found.code && c.code !== found.code)
    .map((c) => c.code);
  return [found.code, ...new Set(codes)];
}
