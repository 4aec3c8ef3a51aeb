// Reading imports back: the summary, and the quarantine of rejected rows (decrypted for the
// staff who fix the file; later issues put this behind the right role and the audit log). Rows of
// people on the suppression list are withheld, only counted (OPT-3: no file of objectors).
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/open-db.ts';
import { importRejections, imports } from '../../../db/schema/index.ts';
import { open } from '../../../crypto/aead.ts';
import { DomainError } from '../../errors.ts';
import type { KeyRing } from '../../organisations/key-ring.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import { parseInput, type Actor } from '../../validation.ts';
import { suppressedAmong } from '../../objections/suppression.ts';
import { getOrganisation } from '../../organisations/organisations.ts';
import { readQuarantineRow, type QuarantineKind } from './quarantine-row.ts';
import { openFileName } from './import-file-name.ts';
import { emptySummary, type ImportSummary } from './summary.ts';

export type ImportRecord = {
  id: string;
  orgId: string;
  sourceId: string;
  status: 'running' | 'done' | 'failed';
  /** The uploaded file's name, opened from its sealed form; null when none or no keys given. */
  fileName: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  summary: ImportSummary;
};

/**
 * An import's record. The file's name is stored sealed: with `keys` (callers that checked the
 * reader may read the import) it is opened, without them it is null.
 */
export async function getImport(
  db: Db,
  options: { importId: string; keys?: KeyRing },
): Promise<ImportRecord> {
  const id = parseInput(z.uuid({ message: 'import id must be a UUID' }), options.importId);
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  if (!row)
    throw DomainError.keyed('not_found', 'import.not_found', `import ${id} does not exist`, { id });
  const fileName =
    row.fileNameSealed && options.keys
      ? openFileName(await options.keys.forOrg(db, row.orgId), row.id, row.fileNameSealed)
      : null;
  return {
    id: row.id,
    orgId: row.orgId,
    sourceId: row.sourceId,
    status: row.status,
    fileName,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    error: row.error,
    // An import still running (or cut off by a crash) has no summary yet.
    summary: (row.summary as ImportSummary | null) ?? {
      ...emptySummary(row.id),
      status: row.status,
    },
  };
}

/**
 * A line of the quarantine: a row rejected whole (`kind: 'rejected'`), or a row imported without
 * the fields its reason names because their values are invalid (`kind: 'kept'`, "invalid phone:
 * field not stored"), kept so that staff can fix them. Only rejected ones count in `rejected`.
 */
export type Rejection = {
  line: number;
  kind: QuarantineKind;
  reason: string;
  cells: Record<string, string>;
};

export async function listRejections(
  db: Db,
  options: { keys: KeyRing; importId: string; actor?: Actor },
): Promise<Rejection[]> {
  return (await readRejections(db, options)).items;
}

/**
 * The quarantine of an import, decrypted, without the rows of people who objected since (OPT-3):
 * `withheld` says how many were left out, and nothing else about them.
 */
export async function readRejections(
  db: Db,
  options: { keys: KeyRing; importId: string; actor?: Actor },
): Promise<{ items: Rejection[]; withheld: number }> {
  const record = await getImport(db, options);
  const keys = await options.keys.forOrg(db, record.orgId);
  const { jurisdiction } = await getOrganisation(db, { orgId: record.orgId });
  await recordAudit(db, {
    actor: options.actor ?? 'system',
    action: 'import.read_rejected',
    orgId: record.orgId,
    entityType: 'import',
    entityId: record.id,
  });
  const rows = await db
    .select()
    .from(importRejections)
    .where(eq(importRejections.importId, record.id))
    .orderBy(asc(importRejections.line));
  const opened = rows.map((r) => ({
    line: r.line,
    reason: r.reason,
    ...readQuarantineRow(
      keys,
      open(keys.encryption, r.row, `isoloir:rejection:${record.id}:${r.line}`),
      jurisdiction,
    ),
  }));
  const suppressed = await suppressedAmong(db, {
    orgId: record.orgId,
    hashes: opened.flatMap((o) => o.suppression),
  });
  const items = opened
    .filter((o) => !o.suppression.some((h) => suppressed.has(h.toString('hex'))))
    .map(({ line, kind, reason, cells }) => ({ line, kind, reason, cells }));
  return { items, withheld: opened.length - items.length };
}
