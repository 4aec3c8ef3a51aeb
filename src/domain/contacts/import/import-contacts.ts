// importContacts: a file from a lawful source -> contacts with provenance, consent and a summary
// that accounts for every row. The whole import is one transaction: a file that turns out to be
// unreadable half-way, a crash or a kill leaves nothing behind, and running it again is safe
// (rows dedupe onto existing contacts by blind index). Imports into one organisation run one at
// a time (advisory lock), so two concurrent imports cannot both create the same person.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/open-db.ts';
import { imports } from '../../../db/schema/index.ts';
import { checkSourceDeclaration } from '../../../policy/sources.ts';
import { DomainError, InterruptedError } from '../../errors.ts';
import type { KeyRing } from '../../organisations/key-ring.ts';
import { getOrganisation } from '../../organisations/organisations.ts';
import { getSource } from '../../sources/sources.ts';
import { isoDate, printable, type Actor, type Clock } from '../../validation.ts';
import { parseMapOverrides, planColumns, type ImportField } from './columns.ts';
import { normaliseRow, type RowContext } from './normalise-row.ts';
import { openRecords, readHeader } from './open-file.ts';
import { emptySummary, type ImportSummary } from './summary.ts';
import { phoneParser } from './values.ts';
import { writeBatch, type BatchRow } from './write-batch.ts';
import { checkMappedFile } from './mapped-values.ts';
import { countByRule, droppedRulesOf } from './dropped-rules.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import type { ImportLimits } from './limits.ts';
import { safeErrorDescription } from '../../../db/errors.ts';
import { beatWhileRunning } from './abandoned-imports.ts';
import { sealFileName } from './import-file-name.ts';

export type ImportProgress = { read: number; bytesRead: number; bytesTotal: number };

export type ImportOptions = {
  keys: KeyRing;
  sourceId: string;
  /** Path of the file to import (an upload is first streamed to a temporary file). */
  file: string;
  fileName?: string;
  /** Header -> field overrides, as a record or as `HEADER=FIELD` strings. */
  mapping?: Record<string, ImportField | 'ignore'> | string[];
  encoding?: string;
  sheet?: string;
  actor: Actor;
  clock: Clock;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops the import between two batches; its transaction rolls back. */
  signal?: AbortSignal;
  batchSize?: number;
  /** What the file may hold or inflate to (services.imports.limits); defaults otherwise. */
  limits?: ImportLimits;
};

export async function importContacts(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const source = await getSource(db, { sourceId: options.sourceId });
  const org = await getOrganisation(db, { orgId: source.orgId });
  // The source was lawful when declared; the organisation's status is checked again (ACC-2).
  const violations = checkSourceDeclaration({
    type: source.type,
    jurisdiction: org.jurisdiction,
    cndpReceipt: org.cndpReceipt,
    attestation: source.attestation,
  });
  if (violations.length > 0) throw DomainError.refused(violations);
  const overrides = Array.isArray(options.mapping)
    ? parseMapOverrides(options.mapping)
    : (options.mapping ?? {});

  const importId = randomUUID();
  const keys = await options.keys.forOrg(db, org.id);
  await db.insert(imports).values({
    id: importId,
    orgId: org.id,
    sourceId: source.id,
    status: 'running',
    // Sealed: a file's name often carries a person's name.
    fileNameSealed: options.fileName ? sealFileName(keys, importId, options.fileName) : null,
    startedBy: options.actor,
    heartbeatAt: sql`now()`,
  });
  // Beats outside the transaction, so that a server starting while this runs leaves it alone,
  // and one starting after this process died marks it failed (abandoned-imports.ts).
  const heartbeat = beatWhileRunning(db, importId);

  const summary = emptySummary(importId);
  try {
    await checkMappedFile(options.file, options, overrides); // SEG-2, before anything is written
    const { format, records, bytes } = await openRecords(options.file, options);
    summary.format = format;

    const today = isoDate(options.clock());
    const ctx: RowContext = {
      sourceType: source.type,
      attestation: source.attestation,
      consentDefaultDate: source.obtainedOn,
      today,
      // Every French numbering region for FR (phone-numbers.ts).
      phone: phoneParser(org.jurisdiction),
    };
    const batchSize = options.batchSize ?? 2000;

    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${org.id}, 0))`);
      const plan = planColumns(await readHeader(records), overrides);
      summary.unmappedColumns = plan.unmapped;
      summary.droppedRules = droppedRulesOf(plan, source.type);

      const batchContext = {
        tx,
        keys,
        orgId: org.id,
        sourceId: source.id,
        sourceType: source.type,
        importId,
        actor: options.actor,
        clock: options.clock,
      };
      let batch: BatchRow[] = [];
      // Batches are written one after the other (each sees the contacts of the previous), but
      // while one is being written the next is read and normalised: parsing overlaps the
      // database's work instead of waiting for it.
      let writing: Promise<void> = Promise.resolve();
      const write = async (rows: BatchRow[]) => {
        const counts = await writeBatch(batchContext, rows);
        summary.imported += counts.imported;
        summary.merged += counts.merged;
        summary.rejected += counts.rejected;
        summary.suppressed += counts.suppressed;
        summary.conflicts += counts.conflicts;
        summary.consentsNotRecorded += counts.consentsNotRecorded;
        summary.consents.email += counts.consents.email;
        summary.consents.sms += counts.consents.sms;
        summary.consents.phone += counts.consents.phone;
        summary.consents.post += counts.consents.post;
        options.onProgress?.({
          read: summary.read,
          bytesRead: bytes.read,
          bytesTotal: bytes.total,
        });
      };
      const flush = async () => {
        await writing;
        if (options.signal?.aborted) throw new InterruptedError('the import');
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        writing = write(rows);
        // Surface a failure at the next flush, not as an unhandled rejection in between.
        writing.catch(() => {});
      };

      for await (const record of records) {
        if ('error' in record) {
          summary.read++;
          batch.push({ line: record.line, outcome: { kind: 'unreadable', reason: record.error } });
        } else {
          const outcome = normaliseRow(record.cells, plan, ctx);
          if (outcome.kind === 'blank') {
            summary.blankRows++;
            continue;
          }
          summary.read++;
          for (const [key, n] of Object.entries(outcome.dropped)) {
            summary.dropped[key] = (summary.dropped[key] ?? 0) + n;
          }
          for (const [key, n] of Object.entries(outcome.rejectedCells ?? {})) {
            summary.rejectedCells[key] = (summary.rejectedCells[key] ?? 0) + n;
          }
          for (const [key, n] of Object.entries(outcome.invalidFields ?? {})) {
            summary.invalidFields[key] = (summary.invalidFields[key] ?? 0) + n;
          }
          if (outcome.row.communeUnresolved) summary.communesUnresolved++;
          summary.consents.refused += outcome.row.consentsRefused;
          batch.push({ line: record.line, outcome });
        }
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      await writing;

      summary.status = 'done';
      await recordAudit(tx, {
        actor: options.actor,
        action: 'import.run',
        orgId: org.id,
        entityType: 'import',
        entityId: importId,
        summary: {
          sourceId: source.id,
          read: summary.read,
          imported: summary.imported,
          merged: summary.merged,
          rejected: summary.rejected,
          suppressed: summary.suppressed,
          // SEG-2 / SRC-2: the columns dropped, counted by rule (never their headers).
          droppedRules: countByRule(summary.droppedRules),
        },
      });
      await tx
        .update(imports)
        .set({ status: 'done', summary, finishedAt: options.clock() })
        .where(eq(imports.id, importId));
    });
    return summary;
  } catch (error) {
    const message = printable(failureReason(error, options.file));
    // The transaction rolled back: nothing of the file is stored. Record why; if even that
    // fails, the original error is still the one the caller sees.
    await db
      .update(imports)
      .set({
        status: 'failed',
        error: message,
        finishedAt: options.clock(),
        summary: { ...emptySummary(importId), status: 'failed', error: message },
      })
      .where(eq(imports.id, importId))
      .catch(() => {});
    throw error;
  } finally {
    heartbeat.stop();
  }
}

/**
 * Why an import failed, in words that may be stored and shown: a DomainError's own message;
 * otherwise only what db/errors.ts deems safe (never a query or its parameters, which hold the
 * rows' values), without a value the database quotes (`invalid input syntax for type integer:
 * "…"`) and without a file's path (system errors name it).
 */
function failureReason(error: unknown, file: string): string {
  if (error instanceof DomainError) return withoutPath(error.storedMessage ?? error.message, file);
  const system = error as { code?: unknown; syscall?: unknown } | undefined;
  if (typeof system?.syscall === 'string')
    return `the import failed: the file could not be read (${String(system.code ?? system.syscall)})`;
  // Without the values the database quotes (db/errors.ts withoutValues).
  const safe = safeErrorDescription(error);
  if (safe.code) return `the import failed: database error ${safe.code} (${safe.message})`;
  return `the import failed: ${withoutPath(safe.message, file)}`;
}

/** A message without the file's path or name (a name often names a person). */
function withoutPath(message: string, file: string): string {
  const name = file.split(/[\\/]/).pop() ?? '';
  return [file, name]
    .filter((p) => p.length > 0)
    .reduce((m, p) => m.split(p).join('(the file)'), message);
}
