// Parsers for single cell values. Each returns the normalised value, undefined for an empty
// cell, or null when the value is present but not understood (normalise-row.ts then drops that
// field and keeps the row).

export function text(value: string | undefined): string | undefined {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : undefined;
}

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]{2,}$/;

export function email(value: string | undefined): string | undefined | null {
  const v = text(value)?.toLowerCase();
  if (v === undefined) return undefined;
  return v.length <= 254 && EMAIL.test(v) ? v : null;
}

/** Phone numbers to E.164 by the organisation's jurisdiction (every French region for FR). */
export { phoneParser } from '../phone-numbers.ts';

function isoDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return null;
  return d.toISOString().slice(0, 10);
}

// Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is accounted for.
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** DD/MM/YYYY (or - .), YYYY-MM-DD, or an Excel serial day number. */
export function date(value: string | undefined): string | undefined | null {
  const v = text(value);
  if (v === undefined) return undefined;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.Z+-]*)?$/.exec(v);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{1,5}(\.0+)?$/.test(v)) {
    const serial = Number(v);
    if (serial >= 1 && serial < 100_000) {
      return new Date(EXCEL_EPOCH + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
    }
  }
  return null;
}

const MALE = new Set(['m', 'h', 'homme', 'masculin', 'male', 'man', '1', 'mr', 'monsieur', 'm.']);
const FEMALE = new Set([
  'f',
  'femme',
  'feminin',
  'female',
  'woman',
  '2',
  'mme',
  'madame',
  'mlle',
  'mademoiselle',
  'ms',
  'mrs',
  'miss',
]);

export function sex(value: string | undefined): 'F' | 'M' | undefined | null {
  const v = text(value)
    ?.normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
  if (v === undefined) return undefined;
  if (MALE.has(v)) return 'M';
  if (FEMALE.has(v)) return 'F';
  return null;
}

const YES = new Set(['oui', 'o', 'yes', 'y', '1', 'true', 'vrai', 'x']);
const NO = new Set(['non', 'n', 'no', '0', 'false', 'faux']);

export function yesNo(value: string | undefined): boolean | undefined | null {
  const v = text(value)?.toLowerCase();
  if (v === undefined) return undefined;
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}

export function postalCode(value: string | undefined): string | undefined | null {
  const v = text(value)?.replace(/\s/g, '');
  if (v === undefined) return undefined;
  if (/^\d{4}$/.test(v)) return `0${v}`; // a spreadsheet dropped the leading zero
  return /^\d{5}$/.test(v) ? v : null;
}
