// The one composition root, shared by the server (main.ts) and the CLI (cli.ts):
// configuration in, database + keys + clock out.
import os from 'node:os';
import path from 'node:path';
import type { Config } from './config.ts';
import { DEFAULT_IMPORT_LIMITS } from './domain/contacts/import/limits.ts';
import { loadMasterKey } from './crypto/master-key.ts';
import { openDb, type Database, type Db } from './db/open-db.ts';
import { KeyRing } from './domain/organisations/key-ring.ts';
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

export async function createServices(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'masterKey'> &
    Partial<Pick<Config, 'auditKey' | 'email' | 'imports'>>,
  options: { clock?: Clock; migrate?: boolean } = {},
): Promise<Services> {
  // Load the key before opening the database: a bad key should not leave a lock behind.
  const master = loadMasterKey(config.masterKey);
  const auditKey = config.auditKey ? loadMasterKey(config.auditKey, 'audit key') : undefined;
  const database = await openDb(config);
  try {
    if (options.migrate !== false) await database.migrate();
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
    close: () => database.close(),
  };
}
