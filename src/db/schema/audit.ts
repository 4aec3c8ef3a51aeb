// SEC-2: the tamper-evident audit log. Events form one hash chain: each hash covers the previous
// hash and every field of the event, and `seq` has no gaps, so any edit, deletion, insertion or
// swap shows when the chain is verified. Checkpoints sign the head with a key kept apart.
import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './types.ts';

export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    orgId: uuid('org_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    /** What changed, without personal values (counts, ids, rule ids). */
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [index('audit_events_org_at').on(t.orgId, t.at), index('audit_events_actor').on(t.actor)],
);

export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  hash: bytea('hash').notNull(),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
  mac: bytea('mac').notNull(),
});
