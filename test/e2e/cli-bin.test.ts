// The `isoloir` command as scripts run it: a separate process, configured by the environment,
// one JSON object on stdout, one line on stderr for a refusal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../processes.ts';
import { createPostgresDatabase, testDbKind } from '../test-db.ts';

let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (testDbKind === 'postgres') {
    const database = await createPostgresDatabase();
    env = { DATABASE_URL: database.url, ISOLOIR_MASTER_KEY: randomBytes(32).toString('hex') };
    cleanup = database.drop;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-bin-'));
    env = { ISOLOIR_DATA_DIR: dataDir };
    cleanup = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  }
  // Only `migrate` (or the server) creates the database; every other command needs it.
  const migrated = await runBin(['migrate', '--json'], env);
  expect(migrated.code, migrated.stderr).toBe(0);
});
afterAll(() => cleanup());

describe(`the isoloir command on ${testDbKind}`, () => {
  it('creates an organisation and refuses forbidden sources with the rule id', async () => {
    const org = await runBin(
      [
        'org',
        'create',
        '--name',
        'Parti Exemple',
        '--jurisdiction',
        'FR',
        '--address',
        '1 rue A, 75001 Paris',
        '--email',
        'contact@parti.example',
        '--dpo-email',
        'dpo@parti.example',
        '--json',
      ],
      env,
    );
    expect(org.code, org.stderr).toBe(0);
    const { id } = JSON.parse(org.stdout) as { id: string };

    const refused = await runBin(
      ['source', 'create', '--org', id, '--type', 'administrative_file', '--label', 'CAF'],
      env,
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^SRC-1: administrative files .*\n$/);

    const mandate = await runBin(
      ['source', 'create', '--org', id, '--type', 'mandate_file', '--label', 'Mairie'],
      env,
    );
    expect(mandate.stderr).toMatch(/^SRC-7: /);

    const count = await runBin(['contacts', 'count', '--org', id, '--json'], env);
    expect(JSON.parse(count.stdout)).toEqual({ total: 0 });
  });

  it('fails with a fix-it message on a bad setting', async () => {
    const res = await runBin(['migrate'], { ...env, ISOLOIR_MASTER_KEY: 'too-short' });
    expect(res.code).toBe(6);
    expect(res.stderr).toMatch(/^error: .*ISOLOIR_MASTER_KEY must be 32 bytes/);
  });
});
