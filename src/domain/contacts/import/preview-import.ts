// The import wizard's first step: what the file is (format, detected encoding and delimiter),
// which field each column feeds, and which columns will be dropped and why (SRC-2, SEG-2, data
// minimisation), before anything is stored. Only the header line is shown back: cell values are
// personal data and stay in the file.
import { getSource } from '../../sources/sources.ts';
import {
  IMPORT_FIELDS,
  NEVER_STORED,
  parseMapOverrides,
  planColumns,
  type ImportField,
} from './columns.ts';
import { NO_EMAIL_SOURCES } from './normalise-row.ts';
import { checkMappedFile } from './mapped-values.ts';
import { droppedRulesOf } from './dropped-rules.ts';
import { openRecords, readHeader } from './open-file.ts';
import type { ImportLimits } from './limits.ts';
import type { Db } from '../../../db/open-db.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import type { Actor, Clock } from '../../validation.ts';

export type ColumnPreview = {
  header: string;
  field: ImportField | null;
  /** Why the column's values will not be stored; absent when they will be. */
  dropped?: {
    reason: 'not_a_field' | 'never_stored' | 'no_email_from_this_source' | 'forbidden_criterion';
    rule?: string;
  };
};

export type ImportPreview = {
  format: { kind: 'csv' | 'xlsx'; encoding?: string; delimiter?: string; sheet?: string };
  columns: ColumnPreview[];
  /** Data lines after the header (blank ones included). */
  rows: number;
  /** The fields a column may be mapped to (`map` HEADER=FIELD, or `ignore`). */
  fields: ImportField[];
  /** The rule of each dropped column, as in the import summary: {"Religion": "SEG-2"}. */
  droppedRules: Record<string, string>;
};

export async function previewImport(
  db: Db,
  options: {
    sourceId: string;
    file: string;
    mapping?: string[];
    encoding?: string;
    sheet?: string;
    actor: Actor;
    clock: Clock;
    limits?: ImportLimits;
  },
): Promise<ImportPreview> {
  const source = await getSource(db, { sourceId: options.sourceId });
  const overrides = parseMapOverrides(options.mapping ?? []);
  await checkMappedFile(options.file, options, overrides); // SEG-2: the values must fit
  const { format, records } = await openRecords(options.file, options);
  const plan = planColumns(await readHeader(records), overrides);
  let rows = 0;
  for await (const _ of records) rows++;
  const columns = plan.headers.map((h, i): ColumnPreview => {
    const field = plan.fields[i] ?? null;
    if (field === null && plan.droppedRules[h] === 'SEG-2')
      return { header: h, field, dropped: { reason: 'forbidden_criterion', rule: 'SEG-2' } };
    if (field === null) return { header: h, field, dropped: { reason: 'not_a_field' } };
    if (NEVER_STORED.has(field))
      return {
        header: h,
        field,
        dropped: { reason: 'never_stored', rule: field === 'nationality' ? 'SEG-2' : 'SRC-2' },
      };
    if (field === 'email' && NO_EMAIL_SOURCES.has(source.type))
      return { header: h, field, dropped: { reason: 'no_email_from_this_source', rule: 'SRC-2' } };
    return { header: h, field };
  });
  // The whole file was read: recorded like any handling of a file of people.
  await recordAudit(
    db,
    {
      actor: options.actor,
      action: 'import.preview',
      orgId: source.orgId,
      entityType: 'source',
      entityId: source.id,
      summary: { rows, columns: columns.length, dropped: columns.filter((c) => c.dropped).length },
    },
    options.clock,
  );
  return {
    format,
    columns,
    rows,
    fields: IMPORT_FIELDS.filter((f) => !NEVER_STORED.has(f)),
    droppedRules: droppedRulesOf(plan, source.type),
  };
}
