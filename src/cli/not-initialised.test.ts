// Only `migrate` and the server create or migrate a database. Every other command on a database
// that is missing, empty or behind this version exits 6 and creates nothing: a typo in
// ISOLOIR_DATA_DIR or DATABASE_URL must not set up a second, empty installation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshInstallation } from '../../test/fresh-installation.ts';
import { testDbKind } from '../../test/test-db.ts';
import { runCli } from './run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-not-initialised-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

const TABLES = `select count(*)::int as n from information_schema.tables
  where table_schema not in ('pg_catalog', 'information_schema')`;

// A test of one database's own files or tables is registered on that database only (never
// reported as skipped on the other).
const onPglite: typeof it =
  testDbKind === 'pglite' ? it : ((() => undefined) as unknown as typeof it);
const onPostgres: typeof it =
  testDbKind === 'postgres' ? it : ((() => undefined) as unknown as typeof it);

describe(`commands other than migrate create nothing (${testDbKind})`, () => {
  onPglite(
    'org list on a data directory that does not exist exits 6 and creates nothing on disk',
    async () => {
      const missing = path.join(dir, 'typo', 'data');
      const r = await cli({ ISOLOIR_DATA_DIR: missing }, 'org', 'list', '--json');
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/^error: not initialised: run `isoloir migrate` .*typo\/data/);
      expect(r.stdout).toBe('');
      expect(fs.existsSync(path.join(dir, 'typo'))).toBe(false);
    },
  );

  onPglite('an empty data directory stays empty: no key file, no lock, no database', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    for (const argv of [
      ['org', 'list'],
      ['user', 'list'],
      ['audit', 'verify'],
    ]) {
      const r = await cli({ ISOLOIR_DATA_DIR: empty }, ...argv);
      expect(r.code, argv.join(' ')).toBe(6);
      expect(r.stderr).toMatch(/not initialised: run `isoloir migrate`/);
    }
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  onPostgres(
    'org list on an empty PostgreSQL database exits 6 and leaves it without tables',
    async () => {
      const fresh = await freshInstallation({ dir, cleanups, masterKey: true });
      const r = await cli(fresh.env, 'org', 'list', '--json');
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(
        /^error: not initialised: run `isoloir migrate` \(the PostgreSQL database at DATABASE_URL has no Isoloir tables; check DATABASE_URL\)/,
      );
      expect(await fresh.query(TABLES)).toEqual([{ n: 0 }]);
      expect(
        await fresh.query(`select count(*)::int as n from pg_namespace where nspname = 'drizzle'`),
      ).toEqual([{ n: 0 }]);
    },
  );

  it('migrate creates the database; then the other commands run', async () => {
    const fresh = await freshInstallation({ dir, cleanups, masterKey: true });
    const migrated = await cli(fresh.env, 'migrate', '--json');
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(JSON.parse(migrated.stdout)).toEqual({ migrated: true, database: testDbKind });
    const listed = await cli(fresh.env, 'org', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ items: [] });
  }, 240_000);

  it('a database whose schema is older than this version is refused until migrate', async () => {
    const fresh = await freshInstallation({ dir, cleanups, masterKey: true });
    expect((await cli(fresh.env, 'migrate')).code).toBe(0);
    // Undo the last migration, as if the database came from the previous version.
    await fresh.query(
      `drop table notifications, contact_rectifications, message_reports, rights_requests;
       alter table outbox drop column source_id;
       delete from drizzle.__drizzle_migrations where created_at = 1795600022000`,
    );
    const r = await cli(fresh.env, 'org', 'list');
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      'error: the database schema is older than this version: run `isoloir migrate`\n',
    );
    expect(await fresh.query(`select to_regclass('rights_requests') is null as absent`)).toEqual([
      { absent: true },
    ]);
    expect((await cli(fresh.env, 'migrate')).code).toBe(0);
    expect((await cli(fresh.env, 'org', 'list')).code).toBe(0);
  }, 240_000);
});
