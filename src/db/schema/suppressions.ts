// OPT-3: the suppression list. Only keyed one-way hashes of identifiers, under a key of the
// organisation's own that differs from the blind-index key, so the list cannot be joined to
// contacts to rebuild a file of people who objected. It serves only to suppress.
import { pgTable, primaryKey, timestamp } from 'drizzle-orm/pg-core';
import { orgIdColumn } from './references.ts';
import { bytea } from './types.ts';

export const suppressions = pgTable(
  'suppressions',
  {
    orgId: orgIdColumn(),
    hash: bytea('hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.hash] })],
);
