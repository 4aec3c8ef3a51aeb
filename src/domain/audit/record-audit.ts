// Appends an event to the audit log, in the caller's transaction (so the event and the act it
// records commit or roll back together). An advisory lock held to the end of the transaction
// makes concurrent writers take turns: the chain stays one line, without gaps.
import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { Actor, Clock } from '../validation.ts';
import type { AuditAction } from './catalogue.ts';
import { eventHash, GENESIS } from './chain.ts';

const AUDIT_LOCK = 7_271_130_003;

export type AuditEntry = {
  actor: Actor;
  action: AuditAction;
  orgId?: string | null;
  entityType: string;
  entityId?: string | null;
  /** Counts, ids, rule ids: never personal values. */
  summary?: Record<string, unknown>;
};

export async function recordAudit(
  db: Db,
  entry: AuditEntry,
  clock: Clock = () => new Date(),
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const [last] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const fields = {
      seq: (last?.seq ?? 0) + 1,
      at: clock().toISOString(),
      orgId: entry.orgId ?? null,
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      summary: entry.summary ?? {},
    };
    const prevHash = last?.hash ?? GENESIS;
    await tx.insert(auditEvents).values({ ...fields, prevHash, hash: eventHash(prevHash, fields) });
    return fields.seq;
  });
}

/** An event about one entity of an organisation (campaign, export...), by an actor at a time. */
export const recordEntityEvent = (
  db: Db,
  by: { actor: Actor; clock?: Clock },
  action: AuditAction,
  entity: { type: string; id: string; orgId: string },
  summary: Record<string, unknown> = {},
) =>
  recordAudit(
    db,
    {
      actor: by.actor,
      action,
      orgId: entity.orgId,
      entityType: entity.type,
      entityId: entity.id,
      summary,
    },
    by.clock,
  );
