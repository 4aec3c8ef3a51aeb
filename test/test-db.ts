// A fresh, migrated database per test file: in-memory PGlite, or a new PostgreSQL database
// created next to DATABASE_URL's and dropped afterwards. Random names: parallel files and
// repeated CI runs never collide or depend on leftovers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../src/config.ts';
import { createServices, type Services } from '../src/services.ts';
import type { Clock } from '../src/domain/validation.ts';

export type TestDbKind = 'pglite' | 'postgres';

export const testDbKind: TestDbKind =
  process.env.ISOLOIR_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export type TestServices = Services & {
  /** The settings these services were opened with (to start a process on the same database). */
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'masterKey' | 'auditKey'>;
  /** Closes the services and removes the database. */
  dispose(): Promise<void>;
};

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('ISOLOIR_TEST_DB=postgres needs DATABASE_URL');
  return url;
}

/** Creates an empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `isoloir_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function openTestServices(
  options: { clock?: Clock; dataDir?: string; masterKey?: Buffer } = {},
): Promise<TestServices> {
  const masterKey = { kind: 'env' as const, key: options.masterKey ?? randomBytes(32) };
  const auditKey = { kind: 'env' as const, key: randomBytes(32) };
  if (testDbKind === 'postgres') {
    const database = await createPostgresDatabase();
    const config = { databaseUrl: database.url, dataDir: 'unused', masterKey, auditKey };
    const services = await createServices(config, { clock: options.clock });
    return {
      ...services,
      config,
      async dispose() {
        await services.close();
        await database.drop();
      },
    };
  }
  const config = {
    databaseUrl: undefined,
    dataDir: options.dataDir ?? 'memory://',
    masterKey,
    auditKey,
  };
  const services = await createServices(config, { clock: options.clock });
  return { ...services, config, dispose: () => services.close() };
}
