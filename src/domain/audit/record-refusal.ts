// Refused attempts are audited (issue 12, item 7): a DPO wants to see who tried. Every rule
// refusal (a DomainError with code 'refused', from the domain or from a database constraint) is
// written as one `policy.refuse` event, in a transaction of its own, because the refused act's
// transaction has rolled back. The event says who (actor), which rules, which object (entity type
// and id, organisation) and the attempted act; never the refusal's message or any input, which can
// quote personal values. The transports call auditRefusal in their one error-mapping place; a
// plan blocked by its returned violations is recorded by planning itself (recordPlanRefusal).
// Each refusal is recorded once: recorded errors and violations are remembered (WeakSet), so a
// transport re-throwing a plan's violations does not record them twice.
import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/open-db.ts';
import {
  assignments,
  campaigns,
  dataSources,
  elections,
  exportRequests,
  imports,
  segments,
} from '../../db/schema/index.ts';
import type { RuleId, Violation } from '../../policy/rules.ts';
import { DomainError } from '../errors.ts';
import type { Actor, Clock } from '../validation.ts';
import { recordAudit } from './record-audit.ts';

/** Who tried what on which object: ids and names of acts only. */
export type Attempt = {
  actor: Actor;
  /** The act, e.g. "segment.count" (CLI), "POST /api/orgs/:orgId/sources" (API), "campaign.plan". */
  attempted: string;
  orgId?: string | null;
  entityType: string;
  entityId?: string | null;
};

// SEC-2 refusals are not attempts at an unlawful act: a broken audit chain reported by
// `audit verify`, failed sign-ins and throttling have events of their own.
const NOT_AN_ATTEMPT = new Set<RuleId>(['SEC-2']);

const recorded = new WeakSet<object>();

/** The rules an error refuses under, when it is a rule refusal not yet recorded. */
export function refusedRules(error: unknown): RuleId[] | undefined {
  if (!(error instanceof DomainError) || error.code !== 'refused' || !error.rule) return undefined;
  if (recorded.has(error)) return undefined;
  if (error.violations.length > 0 && error.violations.every((v) => recorded.has(v)))
    return undefined;
  const rules = [...new Set([error.rule, ...error.violations.map((v) => v.rule)])].filter(
    (r) => !NOT_AN_ATTEMPT.has(r),
  );
  return rules.length ? rules : undefined;
}

const writeRefusal = (db: Db, attempt: Attempt, rules: RuleId[], clock?: Clock) =>
  recordAudit(
    db,
    {
      actor: attempt.actor,
      action: 'policy.refuse',
      orgId: attempt.orgId ?? null,
      entityType: attempt.entityType,
      entityId: attempt.entityId ?? null,
      summary: { rules, attempted: attempt.attempted },
    },
    clock,
  );

/**
 * Records a rule refusal once, in its own transaction (pass the root database, not the refused
 * act's transaction). Returns whether an event was written.
 */
export async function auditRefusal(
  db: Db,
  error: unknown,
  attempt: Attempt,
  clock?: Clock,
): Promise<boolean> {
  const rules = refusedRules(error);
  if (!rules) return false;
  recorded.add(error as object);
  await writeRefusal(db, attempt, rules, clock);
  return true;
}

/** A plan blocked by rules: recorded in the plan's own transaction, which commits. */
export async function recordPlanRefusal(
  tx: Db,
  attempt: Attempt,
  violations: Violation[],
  clock?: Clock,
): Promise<void> {
  const rules = [...new Set(violations.map((v) => v.rule))];
  if (!rules.length) return;
  await writeRefusal(tx, attempt, rules, clock);
  for (const v of violations) recorded.add(v);
}

const ENTITY_ORG: Record<string, { table: PgTable; id: PgColumn; orgId: PgColumn }> = {
  source: { table: dataSources, id: dataSources.id, orgId: dataSources.orgId },
  import: { table: imports, id: imports.id, orgId: imports.orgId },
  segment: { table: segments, id: segments.id, orgId: segments.orgId },
  campaign: { table: campaigns, id: campaigns.id, orgId: campaigns.orgId },
  election: { table: elections, id: elections.id, orgId: elections.orgId },
  export: { table: exportRequests, id: exportRequests.id, orgId: exportRequests.orgId },
  assignment: { table: assignments, id: assignments.id, orgId: assignments.orgId },
};

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organisation an entity belongs to, so that the refusal shows in that organisation's log. */
export async function orgOfEntity(
  db: Db,
  entityType: string,
  entityId: string,
): Promise<string | null> {
  if (entityType === 'organisation') return entityId;
  const t = ENTITY_ORG[entityType];
  if (!t || !UUID.test(entityId)) return null;
  const [row] = await db.select({ orgId: t.orgId }).from(t.table).where(eq(t.id, entityId));
  return (row as { orgId: string } | undefined)?.orgId ?? null;
}

/** Planning a campaign, as an attempt. */
export const planAttempt = (actor: Actor, campaign: { id: string; orgId: string }): Attempt => ({
  actor,
  attempted: 'campaign.plan',
  orgId: campaign.orgId,
  entityType: 'campaign',
  entityId: campaign.id,
});
