// SEG-2: an explicit mapping (`--map HEADER=FIELD`, the wizard's column menu, the HTTP routes)
// into a targeting field is an assertion that the column holds that field's values. It is checked
// before anything is imported: the first SAMPLE_ROWS data rows of the file are read, and if any
// non-blank cell of the column does not fit the field (a csp that is not a PCS 2020 code, a sex
// that is not F/M, a polling station that is not a bureau number...), the mapping is refused
// with SEG-2 naming the column and the field, never its values. Columns found by their header
// are not sampled: their out-of-vocabulary cells are rejected one by one (closed-cells.ts).
// communeName is never stored, only resolved to an INSEE commune code with the row's postal code:
// its cells are checked in that same way (a cell that names no commune of the row's postal code is
// a misfit; a row without a postal code cannot be checked, and stores no commune either).
import { DomainError } from '../../errors.ts';
import { communeByCode, resolveCommune } from '../../territory/communes.ts';
import { planColumns, type ColumnPlan, type ImportField } from './columns.ts';
import { openRecords, readHeader } from './open-file.ts';
import type { ImportLimits } from './limits.ts';
import { closedCell } from './closed-cells.ts';
import type { RawRecord } from './read-csv.ts';
import * as parse from './values.ts';

export const SAMPLE_ROWS = 200;

type Fit = {
  /** postalCode: the row's postal code, when the file has one and it is valid. */
  fits: (v: string, row: { postalCode: string | null }) => boolean;
  describe: string;
};

const FITS: Partial<Record<ImportField, Fit>> = {
  communeName: {
    fits: (v, row) =>
      row.postalCode === null ||
      resolveCommune({ name: v, postalCode: row.postalCode }) !== undefined,
    describe: 'a commune of the row’s postal code',
  },
  csp: { fits: (v) => closedCell('csp', v) !== null, describe: 'an INSEE PCS 2020 code' },
  pollingStation: {
    fits: (v) => closedCell('pollingStation', v) !== null,
    describe: 'a polling-station number (bureau de vote)',
  },
  sex: { fits: (v) => parse.sex(v) !== null, describe: 'F or M' },
  birthYear: { fits: (v) => /^(19|20)\d\d$/.test(v.trim()), describe: 'a year' },
  birthDate: { fits: (v) => parse.date(v) !== null, describe: 'a date' },
  postalCode: { fits: (v) => parse.postalCode(v) !== null, describe: 'a postal code' },
  communeCode: {
    fits: (v) => communeByCode(v.trim().toUpperCase()) !== undefined,
    describe: 'an INSEE commune code',
  },
  consentEmail: { fits: (v) => parse.yesNo(v) !== null, describe: 'oui or non' },
  consentSms: { fits: (v) => parse.yesNo(v) !== null, describe: 'oui or non' },
  consentPhone: { fits: (v) => parse.yesNo(v) !== null, describe: 'oui or non' },
  consentPost: { fits: (v) => parse.yesNo(v) !== null, describe: 'oui or non' },
};

/** Refuses (SEG-2) an explicit mapping whose column's sampled values do not fit its field. */
export async function checkMappedValues(
  plan: ColumnPlan,
  records: AsyncGenerator<RawRecord>,
): Promise<void> {
  const checked = plan.fields
    .map((field, i) => ({ field, i, spec: field && plan.explicit[i] ? FITS[field] : undefined }))
    .filter((c) => c.spec !== undefined);
  if (checked.length === 0) return;
  const misfits = new Map<number, number>();
  const postalAt = plan.fields.indexOf('postalCode');
  let rows = 0;
  for await (const record of records) {
    if ('error' in record) continue;
    const postal = postalAt < 0 ? null : parse.postalCode(record.cells[postalAt]);
    const row = { postalCode: postal || null };
    for (const { i, spec } of checked) {
      const cell = record.cells[i]?.trim() ?? '';
      if (cell !== '' && !spec!.fits(cell, row)) misfits.set(i, (misfits.get(i) ?? 0) + 1);
    }
    if (++rows >= SAMPLE_ROWS) break;
  }
  const refused = checked
    .filter(({ i }) => misfits.has(i))
    .map(({ i, field, spec }) => ({
      rule: 'SEG-2' as const,
      key: 'import.mapping_misfit',
      params: { header: plan.headers[i]!, field: String(field), misfits: misfits.get(i)!, rows },
      message: `column "${plan.headers[i]}" cannot be mapped to ${field}: ${misfits.get(i)} of its first ${rows} rows do not hold ${spec!.describe}; nothing was imported`,
    }));
  if (refused.length > 0) throw DomainError.refused(refused);
}

/** Opens the file on its own and checks its explicit mappings, before the import writes anything. */
export async function checkMappedFile(
  file: string,
  options: { encoding?: string; sheet?: string; limits?: ImportLimits },
  overrides: Record<string, ImportField | 'ignore'>,
): Promise<void> {
  if (Object.keys(overrides).length === 0) return;
  const { records } = await openRecords(file, options);
  try {
    await checkMappedValues(planColumns(await readHeader(records), overrides), records);
  } finally {
    await records.return(undefined);
  }
}
