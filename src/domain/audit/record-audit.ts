// Appends an event to the audit log, in the caller's transaction (so the event and the act it
// records commit or roll back together). The event is appended unchained and without any lock:
// an objection never waits for another writer's transaction (a send group's, SMTP round trips
// included). The chainer (chain-events.ts) links it into the hash chain once it has committed.
import type { Db } from '../../db/open-db.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { Actor, Clock } from '../validation.ts';
import type { AuditAction } from './catalogue.ts';

export type AuditEntry = {
  actor: Actor;
  action: AuditAction;
  orgId?: string | null;
  entityType: string;
  entityId?: string | null;
  /** Counts, ids, rule ids: never personal values. */
  summary?: Record<string, unknown>;
};

/** Returns the event's id (its place in the order of appending; `seq` is set when chained). */
export async function recordAudit(
  db: Db,
  entry: AuditEntry,
  clock: Clock = () => new Date(),
): Promise<number> {
  const [row] = await db
    .insert(auditEvents)
    .values({
      at: clock().toISOString(),
      orgId: entry.orgId ?? null,
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      summary: entry.summary ?? {},
    })
    .returning({ id: auditEvents.id });
  return Number(row!.id);
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
