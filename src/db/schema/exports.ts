// SEC-1: a bulk export of identifiers is a request that the data-protection officer approves or
// rejects (four eyes: never the requester), downloaded once, watermarked, and audited.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgIdColumn } from './references.ts';
import { segments } from './segments.ts';
import { users } from './staff.ts';

export const exportRequests = pgTable(
  'export_requests',
  {
    id: uuid('id').primaryKey(),
    orgId: orgIdColumn(),
    /** The segment asked for; the record outlives it (set null), the filter is kept below. */
    segmentId: uuid('segment_id').references(() => segments.id, { onDelete: 'set null' }),
    /** The filter as the DPO approved it: a later edit of the segment does not widen the export. */
    filter: jsonb('filter').$type<unknown>().notNull(),
    format: text('format').notNull(),
    reason: text('reason').notNull(),
    status: text('status').notNull().default('pending'),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    downloadedAt: timestamp('downloaded_at', { withTimezone: true }),
    rowCount: integer('row_count'),
  },
  (t) => [
    index('export_requests_org').on(t.orgId),
    check('export_requests_format', sql`${t.format} in ('csv', 'xlsx')`),
    check(
      'export_requests_status',
      sql`${t.status} in ('pending', 'approved', 'rejected', 'downloaded')`,
    ),
    // Four eyes, in the database too: the approver is never the requester.
    check(
      'export_requests_four_eyes',
      sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.requestedBy}`,
    ),
  ],
);
