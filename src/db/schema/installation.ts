// The installation itself: one row holding a check value of the master key (never the key),
// compared at every start so that a process with another key is refused before it writes.
import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './types.ts';

export const installation = pgTable(
  'installation',
  {
    /** Always true: the table holds one row at most. */
    id: boolean('id').primaryKey().default(true),
    /** HMAC-SHA256(master key, 'isoloir master key check v1'). */
    keyCheck: bytea('key_check').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('installation_singleton', sql`${t.id}`)],
);
