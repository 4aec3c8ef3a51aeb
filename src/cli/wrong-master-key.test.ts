// A master key that is not the installation's is refused at start, exit 6, naming the setting:
// before the check, a second key created organisations that the first could not read, and reads
// failed later with exit 1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerToExit } from '../../test/processes.ts';
import { freshInstallation, type Installation } from '../../test/fresh-installation.ts';
import { testDbKind } from '../../test/test-db.ts';
import { runCli } from './run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-wrong-key-'));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Fixed keys: the test does not depend on chance.
const KEY_A = 'a1'.repeat(32);
const KEY_B = 'b2'.repeat(32);
const WRONG = /the master key \(ISOLOIR_MASTER_KEY\) is not this installation's/;

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

let inst: Installation;
let orgId: string;
const withKey = (key: string) => ({ ...inst.env, ISOLOIR_MASTER_KEY: key });

beforeAll(async () => {
  inst = await freshInstallation({ dir, cleanups });
  const migrated = await cli(withKey(KEY_A), 'migrate');
  expect(migrated.code, migrated.stderr).toBe(0);
  const org = await cli(
    withKey(KEY_A),
    'org',
    'create',
    '--name',
    'Parti A',
    '--jurisdiction',
    'FR',
    '--address',
    '1 rue A, 75001 Paris',
    '--email',
    'contact@parti-a.example',
    '--dpo-email',
    'dpo@parti-a.example',
    '--json',
  );
  expect(org.code, org.stderr).toBe(0);
  orgId = (JSON.parse(org.stdout) as { id: string }).id;
}, 300_000);

describe(`another master key on an existing installation (${testDbKind})`, () => {
  it('every command with another ISOLOIR_MASTER_KEY exits 6 naming the key, and writes nothing', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const commands = [
      ['migrate'],
      ['org', 'list'],
      ['org', 'show', orgId],
      [
        'org',
        'create',
        '--name',
        'Parti B',
        '--jurisdiction',
        'FR',
        '--address',
        '2 rue B',
        '--email',
        'b@parti-b.example',
        '--dpo-email',
        'dpo@parti-b.example',
      ],
      ['election', 'list', '--org', orgId],
      ['source', 'list', '--org', orgId],
      ['contacts', 'count', '--org', orgId, '--json'],
      ['segment', 'list', '--org', orgId],
      ['import', 'show', unknownId],
      ['campaign', 'status', unknownId],
      ['audit', 'verify'],
      ['audit', 'list'],
      ['user', 'list'],
      ['user', 'create', '--admin', '--email', 'admin@staff.example', '--name', 'Admin'],
      ['token', 'list'],
    ];
    for (const argv of commands) {
      const r = await cli(withKey(KEY_B), ...argv);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(6);
      expect(r.stderr).toMatch(WRONG);
      expect(r.stdout).toBe('');
    }
    const listed = await cli(withKey(KEY_A), 'org', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((o) => o.id),
    ).toEqual([orgId]);
  }, 300_000);

  it('a key file holding another key is refused naming ISOLOIR_MASTER_KEY_FILE and its path', async () => {
    const file = path.join(dir, 'other.key');
    fs.writeFileSync(file, `${KEY_B}\n`, { mode: 0o600 });
    const r = await cli({ ...inst.env, ISOLOIR_MASTER_KEY_FILE: file }, 'org', 'list');
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(
      `the master key (ISOLOIR_MASTER_KEY_FILE=${file}) is not this installation's`,
    );
  }, 120_000);

  it('the server started with another key exits 6 naming the key', async () => {
    const r = await runServerToExit(withKey(KEY_B));
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(WRONG);
  }, 240_000);

  it('an installation from before the check is proved by its oldest organisation, then stores the check', async () => {
    await inst.query('delete from installation');
    const refused = await cli(withKey(KEY_B), 'org', 'list');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(WRONG);
    expect(await inst.query('select count(*)::int as n from installation')).toEqual([{ n: 0 }]);

    expect((await cli(withKey(KEY_A), 'org', 'list')).code).toBe(0);
    expect(await inst.query('select count(*)::int as n from installation')).toEqual([{ n: 1 }]);
    // The check value is not the key.
    const [row] = await inst.query(`select encode(key_check, 'hex') as k from installation`);
    expect(row!.k).not.toBe(KEY_A);
    expect((await cli(withKey(KEY_B), 'org', 'list')).code).toBe(6);
  }, 300_000);

  it('before any organisation exists, a second key still cannot create one', async () => {
    const empty = await freshInstallation({ dir, cleanups });
    const env = (key: string) => ({ ...empty.env, ISOLOIR_MASTER_KEY: key });
    expect((await cli(env(KEY_A), 'migrate')).code).toBe(0);
    const r = await cli(
      env(KEY_B),
      'org',
      'create',
      '--name',
      'Parti B',
      '--jurisdiction',
      'FR',
      '--address',
      '2 rue B, 75002 Paris',
      '--email',
      'b@parti-b.example',
      '--dpo-email',
      'dpo@parti-b.example',
    );
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(WRONG);
    expect(await empty.query('select count(*)::int as n from organisations')).toEqual([{ n: 0 }]);
  }, 300_000);
});
