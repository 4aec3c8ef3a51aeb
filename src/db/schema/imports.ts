// One row per import run; provenance rows point at it (SRC-6). The import pipeline fills the summary.
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea } from './types.ts';
import { dataSources } from './sources.ts';
import { orgIdColumn } from './references.ts';

export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    /** The uploaded file's name, as given (shown back to staff; never parsed for data). */
    fileName: text('file_name'),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    /** Why a failed import failed, in one sentence. */
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    startedBy: text('started_by').notNull(),
  },
  (t) => [index('imports_source').on(t.sourceId)],
);

/**
 * The import's quarantine: rows that were not imported, with their line and reason. The row's
 * values are sealed with the organisation's key (they are personal data) and go with the import,
 * which goes with its source.
 */
export const importRejections = pgTable(
  'import_rejections',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    line: integer('line').notNull(),
    reason: text('reason').notNull(),
    row: bytea('row').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);
