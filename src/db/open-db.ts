// The one way to reach the database: embedded PGlite in a data directory when DATABASE_URL
// is unset, PostgreSQL otherwise. Same schema, same migrations, same queries.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { DatabaseUnavailableError } from './errors.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** A database or a transaction: domain operations accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbKind = 'pglite' | 'postgres';

export type Database = {
  db: Db;
  kind: DbKind;
  /**
   * Where it lives: the PostgreSQL URL, or the data directory (or memory://). The send engine
   * records its hand-overs beside it (dispatch/handover-log.ts).
   */
  location: string;
  /**
   * For /health only: the same database through a connection of its own on PostgreSQL, so that
   * a main pool busy with waiting transactions (objections queued on a send group's locks) is
   * not reported as a database out of reach.
   */
  probe: Db;
  /** Applies pending migrations; safe to call from several processes at once on PostgreSQL. */
  migrate(): Promise<void>;
  /** Where the schema stands against this version's migrations; creates nothing. */
  schemaState(): Promise<SchemaState>;
  close(): Promise<void>;
};

export type DbSettings = {
  databaseUrl: string | undefined;
  /** A directory, or 'memory://' for a throwaway in-memory database (tests). */
  dataDir: string;
};

/**
 * missing: never migrated (not an Isoloir database); behind: migrations pending; ahead: migrated
 * by a newer version of Isoloir than this one.
 */
export type SchemaState = 'missing' | 'behind' | 'current' | 'ahead';

/** A database or data directory that holds no Isoloir database (or an unfinished one). */
export class NotInitialisedError extends DatabaseUnavailableError {}

export const SCHEMA_AHEAD =
  'the database schema is newer than this version of Isoloir: upgrade Isoloir (or restore the matching backup)';

/**
 * A database migrated by a newer version of Isoloir: this version does not know its tables, and
 * writing to them could break the newer version's rules. Refused by every command and the server
 * (exit 6, like any other environment problem).
 */
export class SchemaAheadError extends DatabaseUnavailableError {
  constructor() {
    super(SCHEMA_AHEAD);
  }
}

export type OpenOptions = {
  /**
   * false: refuse, creating nothing, a data directory without an embedded database (every command
   * but `migrate`). Default true: create it (the server and `migrate`).
   */
  create?: boolean;
  /**
   * PostgreSQL only: keep trying to reach the database at open (the server at start, while
   * PostgreSQL starts or fails over). Unset or 0 seconds: fail at the first refusal (commands).
   */
  wait?: DatabaseWait;
};

export type DatabaseWait = {
  /** How long to keep trying before giving up (ISOLOIR_DB_WAIT_SECONDS). */
  seconds: number;
  /** Stops the wait at once (a SIGTERM during start): the open fails with WaitAbortedError. */
  signal?: AbortSignal;
  /** Called once, at the first refusal, with a reason safe to log (no URL, no password). */
  onWaiting?: (reason: string) => void;
};

/** The wait for PostgreSQL at start was stopped (a signal): nothing was opened. */
export class WaitAbortedError extends DatabaseUnavailableError {
  constructor() {
    super('stopped while waiting for PostgreSQL');
  }
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
// Any constant works; it only has to be the same for every Isoloir process.
const MIGRATION_LOCK_ID = 7_271_130_001;

export async function openDb(settings: DbSettings, options: OpenOptions = {}): Promise<Database> {
  return settings.databaseUrl
    ? openPostgres(settings.databaseUrl, options.wait)
    : openPglite(settings.dataDir, options.create ?? true);
}

/** Whether a data directory holds an embedded database (PGlite writes PG_VERSION on creation). */
export function hasEmbeddedDatabase(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'pgdata', 'PG_VERSION'));
}

/** The schema's state, from drizzle's own record of applied migrations (read, never created). */
async function schemaStateOf(db: Db): Promise<SchemaState> {
  const table = (await db.execute(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  )) as unknown as { rows: { present: boolean }[] };
  if (!table.rows[0]?.present) return 'missing';
  const last = (await db.execute(
    sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`,
  )) as unknown as { rows: { at: string | null }[] };
  const applied = Number(last.rows[0]?.at ?? 0);
  if (!applied) return 'missing';
  const known = Math.max(...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  return applied < known ? 'behind' : applied > known ? 'ahead' : 'current';
}

async function openPglite(dataDir: string, create: boolean): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory && !create && !hasEmbeddedDatabase(dataDir)) {
    // Checked before the lock and the database files: a typo in a path creates nothing.
    throw new NotInitialisedError(
      `not initialised: run \`isoloir migrate\` (the data directory ${dataDir} holds no Isoloir database; check ISOLOIR_DATA_DIR)`,
    );
  }
  const lock: DataDirLock | undefined = inMemory ? undefined : lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(inMemory ? dataDir : `${dataDir}/pgdata`);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzlePglite({ client, schema });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    location: dataDir,
    probe: db as unknown as Db,
    migrate: () => migratePglite(db, { migrationsFolder }),
    schemaState: () => schemaStateOf(db as unknown as Db),
    async close() {
      try {
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * A pool of PostgreSQL connections whose every connection's errors are handled. PostgreSQL ends
 * connections (a restart, a failover, pg_terminate_backend): an idle one is discarded by the pool
 * (its 'error' is re-emitted on the pool); one checked out (inside a transaction, say) emits
 * 'error' on its own client, which without a listener kills the process. With one, the query in
 * flight rejects (the transaction is rolled back by PostgreSQL), the client is not queryable any
 * more and the pool discards it on release; the next query opens a new connection. Make every
 * pool of Isoloir with it.
 */
export function createPgPool(
  url: string,
  options: Omit<pg.PoolConfig, 'connectionString'> = {},
): pg.Pool {
  // keepAlive: a connection whose peer vanished without a word (a failover that drops packets)
  // is found dead by TCP keepalive instead of hanging until the kernel's retransmissions end.
  const pool = new pg.Pool({ max: 10, keepAlive: true, ...options, connectionString: url });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** SQLSTATEs after which waiting cannot help: wrong credentials (class 28), no such database. */
const hopeless = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('28') || code === '3D000');
};

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 5000;

/**
 * Connects once to prove the database answers, retrying with backoff (0.5 s doubling to 5 s) for
 * up to `wait.seconds`; throws DatabaseUnavailableError with the last reason and the time waited.
 */
async function reachPostgres(url: string, wait: DatabaseWait | undefined): Promise<void> {
  const seconds = wait?.seconds ?? 0;
  const deadline = Date.now() + seconds * 1000;
  let delay = BACKOFF_FIRST_MS;
  for (let attempt = 0; ; attempt++) {
    if (wait?.signal?.aborted) throw new WaitAbortedError();
    // A connection attempt that hangs (a silent network) ends too, and the wait goes on.
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end().catch(() => {});
      return;
    } catch (error) {
      await client.end().catch(() => {});
      const reason = error instanceof Error ? error.message : String(error);
      const remaining = deadline - Date.now();
      if (remaining <= 0 || hopeless(error)) {
        const waited = seconds > 0 && !hopeless(error);
        throw new DatabaseUnavailableError(
          `cannot connect to PostgreSQL at DATABASE_URL: ${reason}${waited ? ` (waited ${seconds} s for it: ISOLOIR_DB_WAIT_SECONDS)` : ''}`,
        );
      }
      if (attempt === 0) wait?.onWaiting?.(reason);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(delay, remaining));
        function done() {
          clearTimeout(timer);
          wait?.signal?.removeEventListener('abort', done);
          resolve();
        }
        wait?.signal?.addEventListener('abort', done, { once: true });
      });
      delay = Math.min(delay * 2, BACKOFF_MAX_MS);
    }
  }
}

async function openPostgres(url: string, wait?: DatabaseWait): Promise<Database> {
  // Fail now, with the reason, rather than at the first request (the server first waits a while).
  await reachPostgres(url, wait);
  const pool = createPgPool(url);
  const db = drizzlePg({ client: pool, schema });
  // Connects only when /health first asks (pg pools connect lazily); one connection.
  const probePool = createPgPool(url, { max: 1, allowExitOnIdle: true });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    location: url,
    probe: drizzlePg({ client: probePool, schema }) as unknown as Db,
    async migrate() {
      // One connection holds an advisory lock so that concurrent starts migrate once.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
        client.release();
      }
    },
    schemaState: () => schemaStateOf(db as unknown as Db),
    async close() {
      await Promise.all([pool.end(), probePool.end()]);
    },
  };
}
