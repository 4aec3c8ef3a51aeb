// One row per import run; provenance rows point at it (SRC-6). The import pipeline fills the summary.
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    startedBy: text('started_by').notNull(),
  },
  (t) => [index('imports_source').on(t.sourceId)],
);
