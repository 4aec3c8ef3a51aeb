// The server marks abandoned imports `failed` not only at start but every SWEEP_SECONDS: on
// PostgreSQL an import is abandoned only once its beat is STALE_AFTER_SECONDS old, so a server
// restarted soon after a crash finds it still fresh at start, and without the sweep it would say
// `running` until another start (abandoned-imports.ts). Only on PostgreSQL (see below). Errors
// are logged by code only: a driver error's query and parameters can hold personal data.
import { safeErrorDescription } from '../../../db/errors.ts';
import type { Db, DbKind } from '../../../db/open-db.ts';
import type { Clock } from '../../validation.ts';
import { failAbandonedImports } from './abandoned-imports.ts';

/** How often the server looks for abandoned imports. */
export const SWEEP_SECONDS = 60;

type SweepLogger = {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
};

export type AbandonedSweeper = {
  /** Runs one sweep now (the timer's sweeps are skipped while one is in flight). */
  sweep(): Promise<string[]>;
  /** Stops the timer and waits for a sweep in flight, so the database can close after it. */
  stop(): Promise<void>;
};

export function startAbandonedSweeper(
  db: Db,
  options: {
    kind: DbKind;
    clock: Clock;
    logger?: SweepLogger;
    /** Default SWEEP_SECONDS * 1000 (tests use a short one). */
    intervalMs?: number;
  },
): AbandonedSweeper {
  // Embedded database: one process opens it, so every running import is this server's own, and
  // what a previous process left was swept at start (a periodic sweep would fail live imports).
  if (options.kind === 'pglite') return { sweep: () => Promise.resolve([]), stop: async () => {} };
  let inFlight: Promise<string[]> | undefined;
  let stopped = false;
  const sweep = (): Promise<string[]> => {
    if (inFlight) return inFlight;
    inFlight = failAbandonedImports(db, { kind: options.kind, clock: options.clock })
      .then(
        ({ failed }) => {
          if (failed.length > 0)
            options.logger?.warn(
              { imports: failed },
              'imports interrupted by a stop were marked failed',
            );
          return failed;
        },
        (error: unknown) => {
          // The next tick tries again; a database that is gone is the shutdown's business.
          options.logger?.error(
            { error: safeErrorDescription(error) },
            'the sweep of abandoned imports failed',
          );
          return [];
        },
      )
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
  const timer = setInterval(
    () => {
      if (!stopped) void sweep();
    },
    options.intervalMs ?? SWEEP_SECONDS * 1000,
  );
  timer.unref();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
