// Elections and their rounds: retention (RET-1) and silence (CAL-1) are computed from these dates.
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgIdColumn } from './references.ts';

export const elections = pgTable(
  'elections',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    /** INSEE commune or department codes the election covers (empty: national). */
    territory: text('territory')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who created it (existing rows from before this column: 'unknown'). */
    createdBy: text('created_by').notNull().default('unknown'),
  },
  (t) => [index('elections_org').on(t.orgId)],
);

export const electionRounds = pgTable(
  'election_rounds',
  {
    electionId: uuid('election_id')
      .notNull()
      .references(() => elections.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    voteDate: date('vote_date', { mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.electionId, t.round] }),
    check('election_rounds_round', sql`${t.round} between 1 and 2`),
  ],
);
