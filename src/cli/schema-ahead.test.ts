// A database migrated by a newer version of Isoloir is refused by every command, `migrate` and the
// server included (exit 6): this version does not know its tables and must not write to them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runServerToExit } from '../../test/processes.ts';
import { freshInstallation } from '../../test/fresh-installation.ts';
import { testDbKind } from '../../test/test-db.ts';
import { runCli } from './run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-schema-ahead-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

const AHEAD =
  'the database schema is newer than this version of Isoloir: upgrade Isoloir (or restore the matching backup)';

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

/** Migrated by this version, then by a "newer" one: a migration this version does not know. */
async function newerInstallation() {
  const fresh = await freshInstallation({ dir, cleanups, masterKey: true });
  const migrated = await cli(fresh.env, 'migrate');
  expect(migrated.code, migrated.stderr).toBe(0);
  await fresh.query(
    `insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-isoloir', 4102444800000)`,
  );
  return fresh;
}

describe(`a database migrated by a newer Isoloir is refused (${testDbKind})`, () => {
  it('every command, migrate included, exits 6 saying to upgrade Isoloir, and migrate changes nothing', async () => {
    const newer = await newerInstallation();
    const before = await newer.query(`select count(*)::int as n from drizzle.__drizzle_migrations`);
    for (const argv of [['org', 'list'], ['migrate'], ['user', 'list'], ['audit', 'verify']]) {
      const r = await cli(newer.env, ...argv);
      expect(r.code, argv.join(' ')).toBe(6);
      expect(r.stderr, argv.join(' ')).toBe(`error: ${AHEAD}\n`);
      expect(r.stdout).toBe('');
    }
    expect(
      await newer.query(`select count(*)::int as n from drizzle.__drizzle_migrations`),
    ).toEqual(before);
  }, 240_000);

  it('the server refuses to start on it, exit 6 with the same message', async () => {
    const newer = await newerInstallation();
    const r = await runServerToExit(newer.env);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toContain(AHEAD);
  }, 240_000);
});
