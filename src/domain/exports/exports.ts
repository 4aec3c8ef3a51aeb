// SEC-1: nobody bulk-exports identifiers without a recorded approval. A manager asks (which
// segment, which format, why); the organisation's DPO approves or rejects (never their own
// request: four eyes, also a database constraint); the requester downloads the file once. Each
// step is audited, the download with its row count, in the transaction that marks it done.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { exportRequests, memberships, users } from '../../db/schema/index.ts';
import { packFor } from '../../policy/packs.ts';
import type { AuditAction } from '../audit/catalogue.ts';
import { recordEntityEvent } from '../audit/record-audit.ts';
import { openIdentity } from '../contacts/identity.ts';
import { DomainError } from '../errors.ts';
import { suppressedContacts } from '../objections/suppressed-contacts.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { compileFilter } from '../segments/compile.ts';
import { parseFilter } from '../segments/filter.ts';
import { getSegment } from '../segments/segments.ts';
import { parseId, parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import { writeCsv, writeXlsx, type ExportTable } from './write-export.ts';

export type ExportRequest = typeof exportRequests.$inferSelect;

const requestSchema = z
  .object({
    segmentId: z.uuid('must be a UUID'),
    format: z.enum(['csv', 'xlsx'], { message: 'must be csv or xlsx' }),
    reason: plainText(500),
  })
  .strict();

export async function requestExport(
  db: Db,
  options: { orgId: string; userId: string; input: unknown; actor: Actor; clock: Clock },
): Promise<ExportRequest> {
  const input = parseInput(requestSchema, options.input);
  const segment = await getSegment(db, { segmentId: input.segmentId, orgId: options.orgId });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(exportRequests)
      .values({
        id: randomUUID(),
        orgId: options.orgId,
        segmentId: segment.id,
        // What the DPO approves is this filter, whatever later becomes of the segment.
        filter: segment.filter,
        format: input.format,
        reason: input.reason,
        requestedBy: options.userId,
        requestedAt: options.clock(),
      })
      .returning();
    await exportEvent(tx, options, 'export.request', row!, {
      format: input.format,
      segment: segment.id,
    });
    return row!;
  });
}

export async function listExports(db: Db, options: { orgId: string }): Promise<ExportRequest[]> {
  return db
    .select()
    .from(exportRequests)
    .where(eq(exportRequests.orgId, options.orgId))
    .orderBy(asc(exportRequests.requestedAt), asc(exportRequests.id));
}

async function getExport(db: Db, exportId: string): Promise<ExportRequest> {
  const id = parseId('export', exportId);
  const [row] = await db.select().from(exportRequests).where(eq(exportRequests.id, id));
  if (!row)
    throw DomainError.keyed('not_found', 'export.not_found', `export ${id} does not exist`, { id });
  return row;
}

const decisionSchema = z.object({ note: plainText(500).optional() }).strict();

/** The DPO's decision. Approving one's own request is refused (four eyes). */
export async function decideExport(
  db: Db,
  options: {
    exportId: string;
    userId: string;
    approve: boolean;
    input: unknown;
    actor: Actor;
    clock: Clock;
  },
): Promise<ExportRequest> {
  const { note } = parseInput(decisionSchema, options.input ?? {});
  if (!options.approve && !note)
    throw DomainError.keyed(
      'invalid',
      'export.reject_note_required',
      'note: say why the export is rejected',
    );
  const request = await getExport(db, options.exportId);
  if (request.requestedBy === options.userId)
    throw DomainError.keyed(
      'forbidden',
      'export.four_eyes_requester',
      'an export is approved by someone other than its requester (four eyes)',
      {},
      'SEC-1',
    );
  // Nor by a DPO the requester appointed: that would be the requester's own eyes twice.
  const [approver] = await db
    .select({ appointedBy: memberships.appointedBy })
    .from(memberships)
    .where(and(eq(memberships.orgId, request.orgId), eq(memberships.userId, options.userId)));
  const appointer = approver?.appointedBy ?? '';
  if (
    appointer === `user:${request.requestedBy}` ||
    appointer.startsWith(`user:${request.requestedBy}/`)
  )
    throw DomainError.keyed(
      'forbidden',
      'export.four_eyes_dpo',
      'a DPO appointed by the requester cannot approve their export (four eyes)',
      {},
      'SEC-1',
    );
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(exportRequests)
      .set({
        status: options.approve ? 'approved' : 'rejected',
        decidedBy: options.userId,
        decidedAt: options.clock(),
        decisionNote: note ?? null,
      })
      .where(and(eq(exportRequests.id, request.id), eq(exportRequests.status, 'pending')))
      .returning();
    if (!row)
      throw DomainError.keyed(
        'conflict',
        'export.already_decided',
        `export ${request.id} was already ${request.status}`,
        { id: request.id, status: request.status },
      );
    await exportEvent(tx, options, options.approve ? 'export.approve' : 'export.reject', row, {});
    return row;
  });
}

const COLUMNS = [
  'contact_id',
  'birth_name',
  'usage_name',
  'first_names',
  'email',
  'phone',
  'street_address',
  'postal_code',
  'commune_code',
  'export',
];

/** The requester's one download of an approved export: the file, watermarked and neutralised. */
export async function downloadExport(
  db: Db,
  options: { keys: KeyRing; exportId: string; userId: string; actor: Actor; clock: Clock },
): Promise<{ fileName: string; contentType: string; body: Buffer; rows: number }> {
  const request = await getExport(db, options.exportId);
  if (request.requestedBy !== options.userId)
    throw DomainError.keyed(
      'not_found',
      'export.not_yours',
      `export ${request.id} is not one of your requests`,
      { id: request.id },
    );
  if (request.status === 'pending')
    throw DomainError.keyed(
      'forbidden',
      'export.awaiting_approval',
      "this export awaits the DPO's approval",
      {},
      'SEC-1',
    );
  if (request.status === 'rejected')
    throw DomainError.keyed(
      'forbidden',
      'export.rejected',
      'the DPO rejected this export',
      {},
      'SEC-1',
    );
  if (request.status === 'downloaded')
    throw DomainError.keyed(
      'conflict',
      'export.already_downloaded',
      'this export was already downloaded; ask for a new one',
    );
  const org = await getOrganisation(db, { orgId: request.orgId });
  const now = options.clock();
  // The approved filter, checked against today's policy (SEG-2) like every use of a filter.
  const condition = compileFilter(parseFilter(packFor(org.jurisdiction), request.filter), {
    referenceYear: now.getUTCFullYear(),
  });
  const people = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(sql`${users.id} in (${request.requestedBy}, ${request.decidedBy})`);
  const emailOf = (id: string | null) => people.find((p) => p.id === id)?.email ?? 'unknown';
  return db.transaction(async (tx) => {
    // Claim the download first: two concurrent downloads cannot both pass.
    const claimed = await tx
      .update(exportRequests)
      .set({ status: 'downloaded', downloadedAt: now })
      .where(and(eq(exportRequests.id, request.id), eq(exportRequests.status, 'approved')))
      .returning({ id: exportRequests.id });
    if (claimed.length === 0)
      throw DomainError.keyed(
        'conflict',
        'export.already_downloaded',
        'this export was already downloaded; ask for a new one',
      );
    const result = (await tx.execute(sql`
      select c.id, c.identity, c.postal_code, c.commune_code from contacts c
      where c.org_id = ${org.id} and ${condition} order by c.id`)) as unknown as {
      rows: {
        id: string;
        identity: Uint8Array;
        postal_code: string | null;
        commune_code: string | null;
      }[];
    };
    const keys = await options.keys.forOrg(tx, org.id);
    // OPT-1: an objector never leaves in an export, whatever the filter or their consent says.
    const opened = result.rows.map((r) => ({
      ...r,
      i: openIdentity(keys, org.id, r.id, Buffer.from(r.identity)),
    }));
    const objectors = await suppressedContacts(tx, {
      keys,
      orgId: org.id,
      people: opened.map((r) => ({ id: r.id, identity: r.i })),
    });
    const table: ExportTable = {
      watermark:
        `Isoloir export ${request.id} of ${org.legalName}, requested by ${emailOf(request.requestedBy)}, ` +
        `approved by ${emailOf(request.decidedBy)}, downloaded ${now.toISOString()}. ` +
        'Personal data: do not forward, do not attach to messages (SEC-1, SEC-3).',
      header: COLUMNS,
      rows: opened
        .filter((r) => !objectors.has(r.id))
        .map(({ i, ...r }) => [
          r.id,
          i.birthName ?? null,
          i.usageName ?? null,
          i.firstNames ?? null,
          i.email ?? null,
          i.phone ?? null,
          i.streetAddress ?? null,
          r.postal_code,
          r.commune_code,
          request.id,
        ]),
    };
    const body = request.format === 'csv' ? writeCsv(table) : await writeXlsx(table);
    await tx
      .update(exportRequests)
      .set({ rowCount: table.rows.length })
      .where(eq(exportRequests.id, request.id));
    await exportEvent(tx, options, 'export.download', request, {
      rows: table.rows.length,
      approvedBy: request.decidedBy,
      format: request.format,
    });
    return {
      fileName: `isoloir-export-${request.id}.${request.format}`,
      contentType:
        request.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body,
      rows: table.rows.length,
    };
  });
}

const exportEvent = (
  db: Db,
  by: { actor: Actor; clock: Clock },
  action: AuditAction,
  request: ExportRequest,
  summary: Record<string, unknown>,
) =>
  recordEntityEvent(
    db,
    by,
    action,
    { type: 'export', id: request.id, orgId: request.orgId },
    summary,
  );
