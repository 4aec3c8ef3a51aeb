// Acceptance (import): an import that stops midway (interrupt, kill) leaves no contact behind,
// none without provenance, and can be run again without creating duplicates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeElectoralList } from '../../bench/synthetic-electoral-list.ts';
import { tempDir } from '../files.ts';
import { repoRoot, runBin } from '../processes.ts';
import { createPostgresDatabase, testDbKind } from '../test-db.ts';

const files = tempDir('isoloir-interrupt-');
let env: NodeJS.ProcessEnv;
let dropDatabase: (() => Promise<void>) | undefined;
let sourceId: string;
let orgId: string;
// Enough rows that the import is still running when the signal comes: on PostgreSQL the signal
// follows the import's first statement on contacts (seen in pg_stat_activity), so 20,000 rows
// (several seconds) suffice; on PGlite it follows the data-directory lock by a fixed delay of
// 1.5 s, and 40,000 rows take over 5 s to import there.
const ROWS = testDbKind === 'postgres' ? 20_000 : 40_000;

beforeAll(async () => {
  if (testDbKind === 'postgres') {
    const database = await createPostgresDatabase();
    env = { DATABASE_URL: database.url, ISOLOIR_MASTER_KEY: randomBytes(32).toString('hex') };
    dropDatabase = database.drop;
  } else {
    env = { ISOLOIR_DATA_DIR: path.join(files.dir, 'data') };
  }
  await writeElectoralList(files.file('liste.csv'), ROWS);
  const json = async (...args: string[]) => {
    const r = await runBin([...args, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { id: string };
  };
  // Only `migrate` (or the server) creates the database.
  await json('migrate');
  orgId = (
    await json(
      'org',
      'create',
      '--name',
      'P',
      '--jurisdiction',
      'FR',
      '--address',
      'A',
      '--email',
      'a@b.fr',
      '--dpo-email',
      'd@b.fr',
    )
  ).id;
  const election = await json(
    'election',
    'create',
    '--org',
    orgId,
    '--name',
    'M',
    '--round1',
    '2026-03-15',
  );
  sourceId = (
    await json(
      'source',
      'create',
      '--org',
      orgId,
      '--type',
      'electoral_list',
      '--label',
      'LE',
      '--election',
      election.id,
    )
  ).id;
}, 120_000);

afterAll(async () => {
  await dropDatabase?.();
  files.remove();
});

/** Starts an import and sends `signal` once it has been running for a while. */
function interruptedImport(signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'bin/isoloir.js'),
        'import',
        files.file('liste.csv'),
        '--source',
        sourceId,
      ],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...env },
        stdio: 'ignore',
      },
    );
    child.on('exit', (code) => resolve(code));
    // Not a fixed delay: on a loaded machine the process may still be loading. Signal once the
    // import is under way (its transaction holds rows), and a little later.
    void importRunning().then(() => setTimeout(() => child.kill(signal), 500));
  });
}

/** Resolves once an import is running: PostgreSQL shows it; PGlite's data-directory lock exists. */
async function importRunning(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (testDbKind === 'pglite') {
      if (fs.existsSync(path.join(env.ISOLOIR_DATA_DIR!, 'isoloir.lock'))) {
        await new Promise((r) => setTimeout(r, 1000)); // opening and migrating come first
        return;
      }
    } else {
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      try {
        const r = await client.query(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and query ilike '%contacts%' and pid <> pg_backend_pid()",
        );
        if (r.rows[0].n > 0) return;
      } finally {
        await client.end();
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function contactCount(): Promise<number> {
  const r = await runBin(['contacts', 'count', '--org', orgId, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { total: number }).total;
}

describe(`an import stopped midway on ${testDbKind}`, () => {
  it('leaves nothing after SIGINT, closes the database, and exits 130', async () => {
    expect(await interruptedImport('SIGINT')).toBe(130);
    if (testDbKind === 'pglite')
      expect(fs.existsSync(path.join(env.ISOLOIR_DATA_DIR!, 'isoloir.lock'))).toBe(false);
    expect(await contactCount()).toBe(0);
  });

  it('leaves nothing after SIGKILL, and runs again to completion without duplicates', async () => {
    expect(await interruptedImport('SIGKILL')).toBeNull();
    expect(await contactCount()).toBe(0);
    const done = await runBin(
      ['import', files.file('liste.csv'), '--source', sourceId, '--json'],
      env,
    );
    expect(done.code, done.stderr).toBe(0);
    const summary = JSON.parse(done.stdout) as { read: number; imported: number; merged: number };
    expect(summary.read).toBe(ROWS);
    expect(await contactCount()).toBe(summary.imported);
    const again = JSON.parse(
      (await runBin(['import', files.file('liste.csv'), '--source', sourceId, '--json'], env))
        .stdout,
    );
    expect(again.imported).toBe(0);
    expect(await contactCount()).toBe(summary.imported);
  }, 180_000);
});
