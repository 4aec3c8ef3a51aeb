// Saved segments: a name and a filter tree (JSON). The filter is checked against the policy pack
// every time the segment is used, not only when it is saved (the rules may have changed).
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgIdColumn } from './references.ts';

export const segments = pgTable(
  'segments',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    filter: jsonb('filter').$type<unknown>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('segments_org').on(t.orgId)],
);
