// A fresh place for an installation, for tests of start-up and migration: an unused data
// directory, or an empty PostgreSQL database of its own; with a way to run SQL on it directly
// (not through Isoloir) to see what a command created.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPostgresDatabase, testDbKind } from './test-db.ts';

export type Installation = {
  env: NodeJS.ProcessEnv;
  /** Runs SQL on it directly; on PGlite only while no Isoloir process holds the data directory. */
  query(text: string): Promise<Record<string, unknown>[]>;
};

export async function freshInstallation(options: {
  /** Where data directories are made (PGlite). */
  dir: string;
  /** Where the PostgreSQL database's drop is registered, for afterAll. */
  cleanups: (() => Promise<void>)[];
  /** Set ISOLOIR_MASTER_KEY (required with DATABASE_URL) to a new random key. */
  masterKey?: boolean;
}): Promise<Installation> {
  if (testDbKind === 'postgres') {
    const database = await createPostgresDatabase();
    options.cleanups.push(database.drop);
    return {
      env: {
        DATABASE_URL: database.url,
        ...(options.masterKey ? { ISOLOIR_MASTER_KEY: randomBytes(32).toString('hex') } : {}),
      },
      async query(text) {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          return (await client.query(text)).rows as Record<string, unknown>[];
        } finally {
          await client.end();
        }
      },
    };
  }
  const dataDir = path.join(options.dir, randomBytes(4).toString('hex'));
  return {
    env: { ISOLOIR_DATA_DIR: dataDir },
    async query(text) {
      const client = await PGlite.create(path.join(dataDir, 'pgdata'));
      try {
        const results = await client.exec(text);
        return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
      } finally {
        await client.close();
      }
    },
  };
}
