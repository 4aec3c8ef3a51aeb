// SEC-2: the tamper-evident audit log. Events form one hash chain: each hash covers the previous
// hash and every field of the event, and `seq` has no gaps, so any edit, deletion, insertion or
// swap shows when the chain is verified. Checkpoints sign the head with a key kept apart.
import {
  bigint,
  bigserial,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea } from './types.ts';

export const auditEvents = pgTable(
  'audit_events',
  {
    /** Order of appending. Events are appended unchained, without a lock (migration 0020). */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Set with prev_hash and hash when the chainer links the event (chain-events.ts). */
    seq: bigint('seq', { mode: 'number' }),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    orgId: uuid('org_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    /** What changed, without personal values (counts, ids, rule ids). */
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    prevHash: bytea('prev_hash'),
    hash: bytea('hash'),
  },
  (t) => [
    index('audit_events_org_at').on(t.orgId, t.at),
    index('audit_events_actor').on(t.actor),
    uniqueIndex('audit_events_seq').on(t.seq),
    index('audit_events_unchained')
      .on(t.id)
      .where(sql`${t.seq} is null`),
    check(
      'audit_events_chained_whole',
      sql`(${t.seq} is null) = (${t.hash} is null) and (${t.seq} is null) = (${t.prevHash} is null)`,
    ),
  ],
);

export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  hash: bytea('hash').notNull(),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
  mac: bytea('mac').notNull(),
});
