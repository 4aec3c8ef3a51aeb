// Merging a row into a contact that is already known: fill what is empty, never overwrite a
// different value (each such value is a conflict, counted and left for a person to settle).
import { normaliseName } from '../../../crypto/blind-index.ts';
import type { ContactAttributes } from '../contacts.ts';
import type { ContactIdentity } from '../identity.ts';

const same = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' ? normaliseName(a) === normaliseName(b) : a === b;

/** Fills `target`'s empty fields from `source`; returns how many values conflicted. */
export function fillEmpty<T extends ContactIdentity | ContactAttributes>(
  target: T,
  source: T,
): number {
  let conflicts = 0;
  for (const [key, value] of Object.entries(source) as [keyof T, T[keyof T]][]) {
    if (value === undefined) continue;
    if (target[key] === undefined || target[key] === null) target[key] = value;
    else if (!same(target[key], value)) conflicts++;
  }
  return conflicts;
}
