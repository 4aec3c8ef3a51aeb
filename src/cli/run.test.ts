import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation } from '../../test/factories.ts';
import { cliRunner } from '../../test/cli-runner.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';

let s: TestServices;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-cli-'));
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = cliRunner(() => s);

async function newOrg(jurisdiction = 'FR', ...extra: string[]) {
  const res = await cli(
    'org',
    'create',
    '--name',
    'Liste Citoyenne Exemple',
    '--jurisdiction',
    jurisdiction,
    '--address',
    '3 rue Exemple, 13001 Marseille',
    '--email',
    'contact@liste.example',
    '--dpo-email',
    'dpo@liste.example',
    ...extra,
    '--json',
  );
  expect(res.code, res.stderr).toBe(0);
  return res.json().id as string;
}

describe('isoloir CLI', () => {
  it('creates an organisation, an election and a source, printing JSON with their ids', async () => {
    const org = await newOrg();
    const election = await cli(
      'election',
      'create',
      '--org',
      org,
      '--name',
      'Municipales 2026',
      '--round1',
      '2026-03-15',
      '--round2',
      '2026-03-22',
      '--territory',
      '13055',
      '--territory',
      '13',
      '--json',
    );
    expect(election.code, election.stderr).toBe(0);
    expect(election.json()).toMatchObject({
      territory: ['13055', '13'],
      rounds: [{ round: 1 }, { round: 2 }],
    });

    const source = await cli(
      'source',
      'create',
      '--org',
      org,
      '--type',
      'electoral_list',
      '--label',
      'LE Marseille',
      '--election',
      election.json().id,
      '--obtained',
      '2026-01-12',
      '--json',
    );
    expect(source.code, source.stderr).toBe(0);
    expect(source.json()).toMatchObject({
      id: expect.any(String),
      type: 'electoral_list',
      obtainedOn: '2026-01-12',
    });

    const list = await cli('source', 'list', '--org', org, '--json');
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([source.json().id]);
    const human = await cli('source', 'list', '--org', org);
    expect(human.stdout).toContain('electoral_list  LE Marseille');
  });

  it.each([
    ['administrative_file', 'SRC-1'],
    ['hr_file', 'SRC-1'],
    ['other_organisation_file', 'SRC-1'],
    ['mandate_file', 'SRC-7'],
    ['purchased_file', 'SRC-3'],
  ])(
    'refuses a %s with one stderr line starting with %s and a non-zero exit',
    async (type, rule) => {
      const org = await newOrg();
      const res = await cli(
        'source',
        'create',
        '--org',
        org,
        '--type',
        type,
        '--label',
        'Fichier',
        '--json',
      );
      expect(res.code).toBe(3);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(new RegExp(`^${rule}: .+\\n$`));
    },
  );

  it('refuses any source of a Moroccan organisation without CNDP receipt (ACC-2), then accepts it', async () => {
    const org = await newOrg('MA');
    const refused = await cli(
      'source',
      'create',
      '--org',
      org,
      '--type',
      'member_file',
      '--label',
      'Adhérents',
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^ACC-2: /);
    expect((await cli('org', 'update', org, '--cndp-receipt', 'D-PO-2026-300')).code).toBe(0);
    expect(
      (await cli('source', 'create', '--org', org, '--type', 'member_file', '--label', 'Adhérents'))
        .code,
    ).toBe(0);
  });

  it('reads a purchased file attestation from a JSON file', async () => {
    const org = await newOrg();
    const file = path.join(tmp, 'attestation.json');
    fs.writeFileSync(file, JSON.stringify(attestation));
    const res = await cli(
      'source',
      'create',
      '--org',
      org,
      '--type',
      'purchased_file',
      '--label',
      'Location',
      '--attestation',
      file,
      '--json',
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.json().attestation).toEqual(attestation);

    fs.writeFileSync(file, '{ broken');
    const broken = await cli(
      'source',
      'create',
      '--org',
      org,
      '--type',
      'purchased_file',
      '--label',
      'L',
      '--attestation',
      file,
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/is not valid JSON/);
  });

  it('counts contacts', async () => {
    const org = await newOrg();
    const source = (
      await cli('source', 'create', '--org', org, '--type', 'member_file', '--label', 'M', '--json')
    ).json();
    await addContact(s.db, {
      keys: s.keys,
      orgId: org,
      sourceId: source.id,
      identity: { email: 'a@exemple.fr' },
      actor: 'test',
    });
    expect((await cli('contacts', 'count', '--org', org, '--json')).json()).toEqual({ total: 1 });
    expect((await cli('contacts', 'count', '--org', org)).stdout).toBe('1 contacts\n');
  });

  it('exits 2 on a missing option and 4 on an unknown organisation, with a clear message', async () => {
    const missing = await cli('org', 'create', '--name', 'X');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--jurisdiction <code>' not specified/);
    const unknown = await cli('source', 'list', '--org', crypto.randomUUID());
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/^error: organisation .* does not exist/);
  });

  it('prints the migration state', async () => {
    expect((await cli('migrate', '--json')).json()).toEqual({
      migrated: true,
      database: s.database.kind,
    });
  });
});
