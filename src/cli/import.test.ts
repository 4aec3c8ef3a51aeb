import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { ELECTORAL_HEADERS, tempDir, writeCsv } from '../../test/files.ts';
import { cliRunner } from '../../test/cli-runner.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const cli = cliRunner(() => s);

describe('isoloir import', () => {
  it('prints the summary as one JSON object with every documented field', async () => {
    const org = await makeOrg(s);
    const election = await makeElection(s, org.id);
    const source = await makeSource(s, org.id, { type: 'electoral_list', electionId: election.id });
    const file = writeCsv(files.file('le.csv'), [
      [...ELECTORAL_HEADERS, 'Profession'],
      [
        'SIMON',
        '',
        'Inès',
        'F',
        '05/05/1985',
        'Lille',
        'FRANCE',
        'Française',
        '9',
        'rue du Port',
        '59000',
        'Lille',
        '59350',
        '0201',
        'ines@exemple.fr',
        'infirmière',
      ],
    ]);
    const res = await cli('import', file, '--source', source.id, '--json');
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'importId',
        'read',
        'imported',
        'merged',
        'rejected',
        'suppressed',
        'conflicts',
        'dropped',
        'unmappedColumns',
      ]),
    );
    expect(summary).toMatchObject({
      read: 1,
      imported: 1,
      dropped: { email: 1, birthplace: 1, nationality: 1, Profession: 1 },
      unmappedColumns: ['Profession'],
    });

    const human = await cli('import', file, '--source', source.id, '--map', 'Profession=ignore');
    expect(human.stdout).toMatch(/1 read = 0 imported \+ 1 merged \+ 0 rejected \+ 0 suppressed/);
  });

  it('lists rejected rows with their line and reason', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const file = writeCsv(files.file('m.csv'), [
      ['Nom', 'Email'],
      ['Petit', 'petit@exemple.fr'],
      ['Grand', 'grand@'],
    ]);
    const summary = JSON.parse((await cli('import', file, '--source', source.id, '--json')).stdout);
    const shown = await cli('import', 'show', summary.importId, '--rejected');
    // The row is kept without its invalid email; its line is in the quarantine all the same.
    expect(shown.stdout).toContain(
      'line 3: invalid email: field not stored  Nom=Grand; Email=grand@',
    );
    const json = JSON.parse(
      (await cli('import', 'show', summary.importId, '--rejected', '--json')).stdout,
    );
    expect(json.rejectedRows).toEqual([
      {
        line: 3,
        kind: 'kept',
        reason: 'invalid email: field not stored',
        cells: { Nom: 'Grand', Email: 'grand@' },
      },
    ]);
  });

  it('exits 2 with the reason on an unreadable file, and 3 with the rule id for a refused mapping', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const missing = await cli('import', files.file('absent.csv'), '--source', source.id);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: cannot read the file/);
    const file = writeCsv(files.file('n.csv'), [
      ['Nom', 'Pays de naissance'],
      ['Roux', 'Maroc'],
    ]);
    const refused = await cli(
      'import',
      file,
      '--source',
      source.id,
      '--map',
      'Pays de naissance=communeName',
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^SRC-2: column "Pays de naissance" holds a birthplace/);
  });
});
