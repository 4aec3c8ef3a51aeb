// Issue 13, item 3, through the CLI: `isoloir import` keeps members with overseas mobiles and rows
// with one bad cell, says so in its summary, and `import show --rejected` shows the kept lines;
// `objection record --phone` reads a number as the import does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir, writeCsv } from '../../test/files.ts';
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

describe('isoloir import, overseas numbers and one bad cell', () => {
  it('imports every member with an overseas mobile, and a row with an invalid phone without it, listed as kept', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const file = writeCsv(files.file('adherents-outre-mer.csv'), [
      ['Nom', 'Email', 'Mobile'],
      ['Madi', 'madi@exemple.fr', '0639 40 12 34'],
      ['Lacroix', 'lacroix@exemple.fr', '0690 12 34 56'],
      ['Horth', 'horth@exemple.fr', '0694 20 12 34'],
      ['Césaire', 'cesaire@exemple.fr', '0696 20 12 34'],
      ['Jean-Louis', 'jean-louis@exemple.fr', '0697 00 12 34'],
      ['Payet', 'payet@exemple.fr', '0692 12 34 56'],
      ['Hoarau', 'hoarau@exemple.fr', '0693 12 34 56'],
      ['Vidal', 'vidal@exemple.fr', '06 99 ZZ 12'],
    ]);
    const res = await cli('import', file, '--source', source.id, '--json');
    expect(res.code, res.stderr).toBe(0);
    const summary = res.json();
    expect(summary).toMatchObject({
      read: 8,
      imported: 8,
      rejected: 0,
      invalidFields: { phone: 1 },
    });

    const human = await cli('import', 'show', summary.importId, '--rejected');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/fields not stored, their value invalid .*: phone 1/);
    expect(human.stdout).toContain('line 9: invalid phone: field not stored');

    const shown = await cli('import', 'show', summary.importId, '--rejected', '--json');
    expect(shown.json().rejectedRows).toEqual([
      {
        line: 9,
        kind: 'kept',
        reason: 'invalid phone: field not stored',
        cells: { Nom: 'Vidal', Email: 'vidal@exemple.fr', Mobile: '06 99 ZZ 12' },
      },
    ]);
  });

  it('objection record --phone 0639… suppresses the member a later file brings with 0639…', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const objected = await cli(
      'objection',
      'record',
      '--org',
      org.id,
      '--phone',
      '0639 40 77 88',
      '--method',
      'phone_call',
      '--json',
    );
    expect(objected.code, objected.stderr).toBe(0);
    const file = writeCsv(files.file('apres-objection.csv'), [
      ['Nom', 'Mobile'],
      ['Soilihi', '0639407788'],
    ]);
    const res = await cli('import', file, '--source', source.id, '--json');
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject({ read: 1, imported: 0, suppressed: 1 });

    const refused = await cli('objection', 'record', '--org', org.id, '--phone', '12');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/phone: is not a valid phone number/);
  });
});
