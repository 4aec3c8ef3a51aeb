// API bearer tokens, stored as SHA-256 hashes only: a database dump reveals no usable token.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './types.ts';

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    tokenHash: bytea('token_hash').notNull().unique(),
    label: text('label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_label').on(t.label)],
);
