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
    /**
     * The uploaded file's name, sealed with the organisation's key (names of files often carry
     * people's names); shown back, opened, to staff who can read the import.
     */
    fileNameSealed: bytea('file_name_sealed'),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    /** Why a failed import failed, in one sentence. */
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    startedBy: text('started_by').notNull(),
    /**
     * Beaten every few seconds by the process running the import (outside its transaction): a
     * running import whose beat is stale was left by a dead process (see abandoned-imports.ts).
     */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
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
