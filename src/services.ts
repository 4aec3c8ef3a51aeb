// The one composition root, shared by the server (main.ts) and the CLI (cli.ts):
// configuration in, database + keys + clock out.
import os from 'node:os';
import path from 'node:path';
import { ConfigError, type Config } from './config.ts';
import { chainAuditEvents } from './domain/audit/chain-events.ts';
import { DEFAULT_IMPORT_LIMITS } from './domain/contacts/import/limits.ts';
import { keySource, loadMasterKey } from './crypto/master-key.ts';
import {
  hasEmbeddedDatabase,
  NotInitialisedError,
  openDb,
  SchemaAheadError,
  type Database,
  type DatabaseWait,
  type Db,
} from './db/open-db.ts';
import { KeyRing } from './domain/organisations/key-ring.ts';
import { checkMasterKey } from './domain/organisations/master-key-check.ts';
import type { Clock } from './domain/validation.ts';

export type Services = {
  database: Database;
  db: Db;
  keys: KeyRing;
  /** Signs audit checkpoints; undefined when no audit key is configured. */
  auditKey: Buffer | undefined;
  clock: Clock;
  /** Outgoing email settings (SMTP, DKIM, public URL); the log channel when no SMTP is set. */
  email: Config['email'];
  /** Import limits and the upload spool directory. */
  imports: Config['imports'];
  close(): Promise<void>;
};

const NO_EMAIL: Config['email'] = {
  smtpUrl: undefined,
  dkim: undefined,
  publicUrl: 'http://127.0.0.1:8080',
  leaseSeconds: 120,
};

export type OpenMode = {
  clock?: Clock;
  /**
   * apply (the server, `migrate`, tests): create the database if needed and apply pending
   * migrations. require-current (every other command): create nothing, and refuse a database
   * that is not initialised or whose schema is older than this version (NotInitialisedError).
   */
  migrate?: 'apply' | 'require-current';
  /** PostgreSQL: how long to wait for the database at open (the server only; commands fail at once). */
  databaseWait?: DatabaseWait;
};

const NOT_INITIALISED = 'not initialised: run `isoloir migrate`';

export async function createServices(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'masterKey'> &
    Partial<Pick<Config, 'auditKey' | 'email' | 'imports'>>,
  options: OpenMode = {},
): Promise<Services> {
  const apply = (options.migrate ?? 'apply') === 'apply';
  // Before anything is read or written: a missing data directory (a typo) creates nothing, not
  // even the generated key file or the lock.
  if (
    !apply &&
    !config.databaseUrl &&
    !config.dataDir.startsWith('memory://') &&
    !hasEmbeddedDatabase(config.dataDir)
  ) {
    throw new NotInitialisedError(
      `${NOT_INITIALISED} (the data directory ${config.dataDir} holds no Isoloir database; check ISOLOIR_DATA_DIR)`,
    );
  }
  // Load the key before opening the database: a bad key should not leave a lock behind.
  const master = loadMasterKey(config.masterKey);
  const auditKey = config.auditKey ? loadMasterKey(config.auditKey, 'audit key') : undefined;
  if (auditKey?.equals(master)) {
    throw new ConfigError(
      `the audit key (${keySource(config.auditKey!, 'audit key')}) is the master key: checkpoints signed with it prove nothing to whoever holds the master key; generate another one (openssl rand -hex 32)`,
    );
  }
  const database = await openDb(config, { create: apply, wait: options.databaseWait });
  try {
    const state = await database.schemaState();
    // Migrated by a newer Isoloir: refused by every command, `migrate` and the server included
    // (drizzle's migrate would apply nothing and say nothing).
    if (state === 'ahead') throw new SchemaAheadError();
    if (apply) await database.migrate();
    else {
      if (state === 'missing')
        throw new NotInitialisedError(
          `${NOT_INITIALISED} (${config.databaseUrl ? 'the PostgreSQL database at DATABASE_URL' : `the data directory ${config.dataDir}`} has no Isoloir tables; check ${config.databaseUrl ? 'DATABASE_URL' : 'ISOLOIR_DATA_DIR'})`,
        );
      if (state === 'behind')
        throw new NotInitialisedError(
          'the database schema is older than this version: run `isoloir migrate`',
        );
    }
    await checkMasterKey(database.db, master, keySource(config.masterKey));
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    database,
    db: database.db,
    keys: new KeyRing(master),
    auditKey,
    clock: options.clock ?? (() => new Date()),
    email: config.email ?? NO_EMAIL,
    // Without a loaded Config (tests): default limits, and a spool of this process's own.
    imports: config.imports ?? {
      limits: DEFAULT_IMPORT_LIMITS,
      spoolDir: path.join(os.tmpdir(), `isoloir-spool-${process.pid}`),
    },
    async close() {
      // A command's audit events are chained before it exits (chain-events.ts); the database
      // may already be gone, and closing goes on.
      await chainAuditEvents(database.db).catch(() => {});
      await database.close();
    },
  };
}
