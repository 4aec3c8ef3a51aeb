// OPT-3 / SRC-8: the quarantine keeps each rejected row sealed so that staff can fix the file.
// An objector's row must not stay readable there: each sealed row carries, next to its cells, the
// suppression hashes of the person it names, and reading the quarantine withholds the rows whose
// hashes are on the suppression list (they go for good with the import, or its source).
// Rows sealed before the hashes were kept are re-read with the default column plan to find them.
// Besides rejected rows, the quarantine holds the lines of rows imported without a field whose
// value was invalid ("kept": the person is a contact, the line shows staff what to fix).
import type { OrgKeys } from '../../../crypto/org-keys.ts';
import { blindIndex } from '../../../crypto/blind-index.ts';
import { suppressionHashes } from '../../objections/suppression.ts';
import { legacyForms } from '../phone-numbers.ts';
import { planColumns } from './columns.ts';
import { normaliseRow, type NormalisedRow } from './normalise-row.ts';
import { phoneParser } from './values.ts';

type Sealed = { v: 2; cells: Record<string, string>; suppression: string[]; kept?: true };

/** What the quarantine holds of a line: a rejected row, or a row kept without invalid fields. */
export type QuarantineKind = 'rejected' | 'kept';

/**
 * The suppression hashes of the person a row names: what it stores, and what it names without
 * storing it (an invalid email, a dropped birth date, a cell with control characters, the second
 * of two phone columns), so that dropping a cell lets no objector in; a phone also under the form
 * versions before issue 13 read it in (legacyForms), which objections recorded then were hashed by.
 */
export function rowSuppressionHashes(keys: OrgKeys, row: NormalisedRow): Buffer[] {
  const base = { ...row.alsoNamed, ...row.identity };
  const variants = [base, ...row.otherNamed.map((other) => ({ ...base, ...other }))];
  const phones = new Set(variants.flatMap((v) => (v.phone ? legacyForms(v.phone) : [])));
  const hashes = [
    ...variants.flatMap((v) => suppressionHashes(keys, v, row.attributes)),
    ...[...phones].map((phone) => blindIndex(keys.suppression, 'phone', phone)),
  ];
  const seen = new Set<string>();
  return hashes.filter((h) => {
    const hex = h.toString('hex');
    if (seen.has(hex)) return false;
    seen.add(hex);
    return true;
  });
}

/** The plaintext sealed for a quarantined line: its storable cells and its suppression hashes. */
export function quarantinePlaintext(
  keys: OrgKeys,
  row: NormalisedRow | undefined,
  kind: QuarantineKind = 'rejected',
): Buffer {
  const sealed: Sealed = {
    v: 2,
    cells: row?.storable ?? {},
    suppression: row ? rowSuppressionHashes(keys, row).map((h) => h.toString('hex')) : [],
    ...(kind === 'kept' ? { kept: true as const } : {}),
  };
  return Buffer.from(JSON.stringify(sealed));
}

/** A sealed row read back: its cells, and the suppression hashes of the person it names. */
export function readQuarantineRow(
  keys: OrgKeys,
  plaintext: Buffer,
  jurisdiction: string,
): { kind: QuarantineKind; cells: Record<string, string>; suppression: Buffer[] } {
  const parsed = JSON.parse(plaintext.toString('utf8')) as Sealed | Record<string, string>;
  if (parsed.v === 2 && typeof parsed.cells === 'object' && Array.isArray(parsed.suppression)) {
    const sealed = parsed as Sealed;
    return {
      kind: sealed.kept === true ? 'kept' : 'rejected',
      cells: sealed.cells,
      suppression: sealed.suppression.map((h) => Buffer.from(h, 'hex')),
    };
  }
  // An older row: just its cells, by header.
  const cells = parsed as Record<string, string>;
  const headers = Object.keys(cells);
  const outcome = normaliseRow(
    headers.map((h) => cells[h]!),
    planColumns(headers),
    {
      sourceType: 'member_file',
      attestation: null,
      consentDefaultDate: '1900-01-01',
      today: '9999-12-31',
      phone: phoneParser(jurisdiction),
    },
  );
  // Its cells as today's rules keep them (outcome.row.storable): a column stored before its
  // header was recognised as a forbidden criterion, or a value outside a closed vocabulary, is
  // not shown again (SEG-2).
  return {
    kind: 'rejected',
    cells: outcome.kind === 'blank' ? {} : outcome.row.storable,
    suppression: outcome.kind === 'blank' ? [] : rowSuppressionHashes(keys, outcome.row),
  };
}
