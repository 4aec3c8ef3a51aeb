// Saved segments: a name and a filter. The filter is checked when saved and again every time
// the segment is used (counted, previewed, later planned), so a rule change applies at once.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { segments } from '../../db/schema/index.ts';
import { packFor } from '../../policy/packs.ts';
import type { AuditAction } from '../audit/catalogue.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { openIdentity, type ContactIdentity } from '../contacts/identity.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import { compileFilter } from './compile.ts';
import { countSegment, type SegmentCount } from './count.ts';
import { parseFilter } from './filter.ts';

export type Segment = typeof segments.$inferSelect;

const inputSchema = z.object({ name: plainText(200), where: z.unknown() }).strict();

async function checked(db: Db, orgId: string, where: unknown) {
  const org = await getOrganisation(db, { orgId });
  return { org, filter: parseFilter(packFor(org.jurisdiction), where) };
}

export async function saveSegment(
  db: Db,
  options: { orgId: string; input: unknown; actor: Actor; clock?: Clock },
): Promise<Segment> {
  const input = parseInput(inputSchema, options.input);
  const { org } = await checked(db, options.orgId, input.where);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(segments)
      .values({
        id: randomUUID(),
        orgId: org.id,
        name: input.name,
        filter: input.where,
        createdBy: options.actor,
      })
      .returning();
    await segmentEvent(tx, options, 'segment.save', row!);
    return row!;
  });
}

export async function getSegment(
  db: Db,
  options: { segmentId: string; orgId?: string },
): Promise<Segment> {
  const id = parseInput(z.uuid({ message: 'segment id must be a UUID' }), options.segmentId);
  const where = options.orgId
    ? and(eq(segments.id, id), eq(segments.orgId, options.orgId))
    : eq(segments.id, id);
  const [row] = await db.select().from(segments).where(where);
  if (!row)
    throw DomainError.keyed('not_found', 'segment.not_found', `segment ${id} does not exist`, {
      id,
    });
  return row;
}

export async function listSegments(db: Db, options: { orgId: string }): Promise<Segment[]> {
  const org = await getOrganisation(db, options);
  return db
    .select()
    .from(segments)
    .where(eq(segments.orgId, org.id))
    .orderBy(asc(segments.createdAt), asc(segments.id));
}

export async function updateSegment(
  db: Db,
  options: { segmentId: string; input: unknown; actor: Actor; clock?: Clock },
): Promise<Segment> {
  const segment = await getSegment(db, options);
  const input = parseInput(inputSchema, options.input);
  await checked(db, segment.orgId, input.where);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(segments)
      .set({ name: input.name, filter: input.where, updatedAt: new Date() })
      .where(eq(segments.id, segment.id))
      .returning();
    await segmentEvent(tx, options, 'segment.update', row!);
    return row!;
  });
}

export async function deleteSegment(
  db: Db,
  options: { segmentId: string; actor: Actor; clock?: Clock },
): Promise<{ id: string }> {
  const segment = await getSegment(db, options);
  return db.transaction(async (tx) => {
    await tx.delete(segments).where(eq(segments.id, segment.id));
    await segmentEvent(tx, options, 'segment.delete', segment);
    return { id: segment.id };
  });
}

/** The filter's fields are policy-checked targeting criteria, not personal values. */
const segmentEvent = (
  db: Db,
  options: { actor: Actor; clock?: Clock },
  action: AuditAction,
  segment: Segment,
) =>
  recordAudit(
    db,
    {
      actor: options.actor,
      action,
      orgId: segment.orgId,
      entityType: 'segment',
      entityId: segment.id,
    },
    options.clock,
  );

/** Counts a saved segment, re-checking its filter against today's policy. */
export async function countSavedSegment(
  db: Db,
  options: { segmentId: string; at?: Date },
): Promise<SegmentCount> {
  const segment = await getSegment(db, options);
  return countSegment(db, { orgId: segment.orgId, where: segment.filter, at: options.at });
}

export type PreviewRow = {
  id: string;
  birthYear: number | null;
  sex: string | null;
  communeCode: string | null;
  postalCode: string | null;
  pollingStation: string | null;
  csp: string | null;
  /** Only for callers allowed to see identifiers. */
  identity?: ContactIdentity;
};

/**
 * A small sample of a segment. Identifiers are decrypted only when the caller may see them
 * (`withIdentifiers`); otherwise the sample holds targeting attributes only.
 */
export async function previewSegment(
  db: Db,
  options: {
    orgId: string;
    where: unknown;
    keys: KeyRing;
    limit?: number;
    withIdentifiers: boolean;
    at?: Date;
    actor?: Actor;
  },
): Promise<PreviewRow[]> {
  const { org, filter } = await checked(db, options.orgId, options.where);
  const limit = parseInput(z.number().int().min(1).max(50, 'at most 50 rows'), options.limit ?? 10);
  const condition = compileFilter(filter, {
    referenceYear: (options.at ?? new Date()).getUTCFullYear(),
  });
  const keys = options.withIdentifiers ? await options.keys.forOrg(db, org.id) : undefined;
  // With identifiers, the read and its audit event commit together (SEC-2).
  return db.transaction(async (tx) => {
    const result = (await tx.execute(sql`
    select c.id, c.identity, c.birth_year, c.sex, c.commune_code, c.postal_code, c.polling_station, c.csp
    from contacts c where c.org_id = ${org.id} and ${condition}
    order by c.id limit ${limit}`)) as unknown as {
      rows: {
        id: string;
        identity: Uint8Array;
        birth_year: number | null;
        sex: string | null;
        commune_code: string | null;
        postal_code: string | null;
        polling_station: string | null;
        csp: string | null;
      }[];
    };
    if (keys) {
      await recordAudit(tx, {
        actor: options.actor ?? 'system',
        action: 'segment.preview_identifiers',
        orgId: org.id,
        entityType: 'segment',
        summary: { rows: result.rows.length },
      });
    }
    return result.rows.map((r) => ({
      id: r.id,
      birthYear: r.birth_year,
      sex: r.sex,
      communeCode: r.commune_code,
      postalCode: r.postal_code,
      pollingStation: r.polling_station,
      csp: r.csp,
      ...(keys ? { identity: openIdentity(keys, org.id, r.id, Buffer.from(r.identity)) } : {}),
    }));
  });
}
