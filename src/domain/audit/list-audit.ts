// The DPO reads the log filtered by organisation, actor, action, entity and time; refusals
// (`policy.refuse`, see record-refusal.ts) alone or by rule. Pending events are chained first
// (chain-events.ts), so that what is listed is on the chain; newest first, in the order of
// appending (an event appended after that pass is listed with no seq or hash yet).
import { and, desc, eq, gte, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { RULES, type RuleId } from '../../policy/rules.ts';
import { parseInput } from '../validation.ts';
import { chainAuditEvents } from './chain-events.ts';

const filterSchema = z
  .object({
    orgId: z.uuid().optional(),
    actor: z.string().min(1).optional(),
    action: z.string().min(1).optional(),
    entityId: z.string().min(1).optional(),
    /** true: only refused attempts (the `policy.refuse` action); false: everything else. */
    refused: z.boolean().optional(),
    /** Only refusals under this rule. */
    rule: z.enum(Object.keys(RULES) as [RuleId, ...RuleId[]]).optional(),
    since: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    until: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export async function listAuditEvents(db: Db, filter: unknown) {
  const f = parseInput(filterSchema, filter);
  await chainAuditEvents(db);
  const where: SQL[] = [];
  if (f.orgId) where.push(eq(auditEvents.orgId, f.orgId));
  // A person's acts include those done with their tokens ("user:<id>/token:<id>").
  if (f.actor)
    where.push(
      or(
        eq(auditEvents.actor, f.actor),
        sql`left(${auditEvents.actor}, ${f.actor.length + 1}) = ${`${f.actor}/`}`,
      )!,
    );
  if (f.action) where.push(eq(auditEvents.action, f.action));
  if (f.entityId) where.push(eq(auditEvents.entityId, f.entityId));
  if (f.refused || f.rule) where.push(eq(auditEvents.action, 'policy.refuse'));
  if (f.refused === false) where.push(ne(auditEvents.action, 'policy.refuse'));
  if (f.rule)
    where.push(sql`${auditEvents.summary} -> 'rules' @> jsonb_build_array(${f.rule}::text)`);
  if (f.since) where.push(gte(auditEvents.at, new Date(f.since).toISOString()));
  if (f.until) where.push(lte(auditEvents.at, new Date(f.until).toISOString()));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.id))
    .limit(f.limit);
  // `id` (the order of appending) is always there; `seq` and the hashes are null for an event
  // appended after this list's own chaining pass.
  return rows.map(({ prevHash, hash, ...e }) => ({
    ...e,
    prevHash: prevHash?.toString('hex') ?? null,
    hash: hash?.toString('hex') ?? null,
  }));
}
