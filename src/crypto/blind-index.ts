// Keyed blind indexes: HMAC-SHA256 of a normalised identifier under the organisation's index
// key. Equal identifiers give equal indexes within one organisation, and nothing outside it.
import { createHmac } from 'node:crypto';

export type IndexKind = 'email' | 'phone' | 'name_birth' | 'name_address';

export function blindIndex(key: Buffer, kind: IndexKind, normalised: string): Buffer {
  return createHmac('sha256', key).update(`${kind}\u0000${normalised}`, 'utf8').digest();
}

/** Case, accents, hyphens and spacing do not make two people different. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[\s\-'’.]+/g, ' ')
    .trim();
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
