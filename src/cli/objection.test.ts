// OPT-1 / OPT-3 through the CLI, as a new user would: an objection for a purchased-file contact
// erases them (`contacts count` is one less), a replay changes nothing, and a later import of the
// same person is suppressed (SRC-8).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation } from '../../test/factories.ts';
import { cliRunner } from '../../test/cli-runner.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';

let s: TestServices;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-cli-objection-'));
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = cliRunner(() => s);

async function ok(...argv: string[]) {
  const res = await cli(...argv, '--json');
  expect(res.code, res.stderr).toBe(0);
  return res.json();
}

describe('isoloir objection record', () => {
  it('OPT-3: after `objection record --email E` for a purchased-file contact, `contacts count` is one less, and a later import of them is suppressed (SRC-8)', async () => {
    const org = (
      await ok(
        'org',
        'create',
        '--name',
        'Liste Citoyenne Exemple',
        '--jurisdiction',
        'FR',
        '--address',
        '3 rue Exemple, 13001 Marseille',
        '--email',
        'contact@liste.example',
        '--dpo-email',
        'dpo@liste.example',
      )
    ).id as string;
    const attestationFile = path.join(tmp, 'attestation.json');
    fs.writeFileSync(attestationFile, JSON.stringify(attestation));
    const source = (
      await ok(
        'source',
        'create',
        '--org',
        org,
        '--type',
        'purchased_file',
        '--label',
        'Fichier loué',
        '--attestation',
        attestationFile,
      )
    ).id as string;
    const file = path.join(tmp, 'achat.csv');
    fs.writeFileSync(
      file,
      'Nom;Prénom;Email\nMartin;Alice;alice@exemple.fr\nDurand;Bruno;bruno@exemple.fr\n',
    );
    expect(await ok('import', file, '--source', source)).toMatchObject({ imported: 2 });
    expect(await ok('contacts', 'count', '--org', org)).toEqual({ total: 2 });

    const first = await ok('objection', 'record', '--org', org, '--email', 'Alice@Exemple.fr');
    expect(first).toMatchObject({ contacts: 1, erased: 1, alreadyRecorded: false });
    expect(await ok('contacts', 'count', '--org', org)).toEqual({ total: 1 });

    const again = await cli('objection', 'record', '--org', org, '--email', 'alice@exemple.fr');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already recorded/);
    expect(await ok('contacts', 'count', '--org', org)).toEqual({ total: 1 });

    // The same file again: the objector is not brought back.
    expect(await ok('import', file, '--source', source)).toMatchObject({
      imported: 0,
      merged: 1,
      suppressed: 1,
    });
    expect(await ok('contacts', 'count', '--org', org)).toEqual({ total: 1 });
  });
});
