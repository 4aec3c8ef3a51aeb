// Imports left `running` by a process that died (a crash, a kill, a restart mid-import). The
// import runs in one transaction, so a dead process stored nothing of its file; what is left is
// the import's row, which would say `running` forever. At start, such rows are marked `failed`
// with the reason.
//
// Which running imports are dead:
// - PGlite: the data directory's lock lets one process at a time open the database, so at open
//   every running import belongs to a process that is gone.
// - PostgreSQL: several servers (and CLI imports) share the database. A running import beats
//   (imports.heartbeat_at, every HEARTBEAT_SECONDS, outside its transaction); one whose beat is
//   older than STALE_AFTER_SECONDS (by the database's clock, so the servers' clocks do not
//   matter) has lost its process.
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { is } from 'drizzle-orm/entity';
import { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Db, DbKind } from '../../../db/open-db.ts';
import { imports } from '../../../db/schema/index.ts';
import type { Clock } from '../../validation.ts';
import { emptySummary } from './summary.ts';

/** How often a running import beats. */
export const HEARTBEAT_SECONDS = 10;
/** A running import whose last beat is older than this is abandoned (PostgreSQL). */
export const STALE_AFTER_SECONDS = 120;

export const INTERRUPTED_REASON =
  'interrupted: the process running it stopped (server restart or crash); nothing of the file was stored — run it again';

/** Marks `failed`, with the reason, the running imports whose process is dead; returns their ids. */
export async function failAbandonedImports(
  db: Db,
  options: { kind: DbKind; clock: Clock },
): Promise<{ failed: string[] }> {
  const stale =
    options.kind === 'pglite'
      ? undefined
      : or(
          // A beat never written: left by a version of Isoloir that did not beat.
          isNull(imports.heartbeatAt),
          lt(imports.heartbeatAt, sql`now() - make_interval(secs => ${STALE_AFTER_SECONDS})`),
        );
  const rows = await db
    .update(imports)
    .set({ status: 'failed', error: INTERRUPTED_REASON, finishedAt: options.clock() })
    .where(and(eq(imports.status, 'running'), stale))
    .returning({ id: imports.id, summary: imports.summary });
  for (const row of rows) {
    await db
      .update(imports)
      .set({
        summary: {
          ...emptySummary(row.id),
          ...(row.summary ?? {}),
          status: 'failed',
          error: INTERRUPTED_REASON,
        },
      })
      .where(eq(imports.id, row.id));
  }
  return { failed: rows.map((r) => r.id) };
}

/**
 * Beats a running import every HEARTBEAT_SECONDS until `stop()` is called. Each beat is its own
 * statement on `db`, outside the import's transaction. On PGlite there is no beat: the one
 * connection is held by the import's transaction, and one process at a time opens the database.
 */
export function beatWhileRunning(db: Db, importId: string): { stop(): void } {
  if (is(db, PgliteDatabase)) return { stop() {} };
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    db.update(imports)
      .set({ heartbeatAt: sql`now()` })
      .where(and(eq(imports.id, importId), eq(imports.status, 'running')))
      .then(
        () => (inFlight = false),
        () => (inFlight = false), // a missed beat is retried at the next tick
      );
  }, HEARTBEAT_SECONDS * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
