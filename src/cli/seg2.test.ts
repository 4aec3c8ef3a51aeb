// SEG-2 through the CLI, as a new user would try it: a "Religion" column cannot be mapped into
// csp, and a filter "csp = musulman" is refused, each with a line starting "SEG-2".
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir, writeCsv } from '../../test/files.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';

let s: TestServices;
const files = tempDir();
const cli = cliRunner(() => s);
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const religionFile = () =>
  writeCsv(files.file('religion.csv'), [
    ['Nom', 'Email', 'Religion'],
    ['Roux', 'roux@exemple.fr', 'musulman'],
  ]);

describe('isoloir import and segment (SEG-2)', () => {
  it('SEG-2: import --map Religion=csp is refused with a line naming SEG-2 and the column, never its values', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const res = await cli('import', religionFile(), '--source', source.id, '--map', 'Religion=csp');
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^SEG-2: column "Religion"/m);
    expect(res.stderr + res.stdout).not.toContain('musulman');
    const stored = (await s.db.execute(
      sql`select count(*)::int as n from contacts where org_id = ${org.id}`,
    )) as unknown as { rows: { n: number }[] };
    expect(stored.rows[0]).toEqual({ n: 0 });
  });

  it('SEG-2: import without --map drops the Religion column; --json names its rule and counts rejected cells', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const file = writeCsv(files.file('religion-csp.csv'), [
      ['Nom', 'Email', 'Religion', 'CSP'],
      ['Roux', 'roux@exemple.fr', 'musulman', 'catholique'],
    ]);
    const res = await cli('import', file, '--source', source.id, '--json');
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toMatchObject({
      imported: 1,
      droppedRules: { Religion: 'SEG-2' },
      rejectedCells: { csp: 1 },
      unmappedColumns: ['Religion'],
    });
    const human = await cli('import', file, '--source', source.id);
    expect(human.stdout).toContain('dropped columns and their rule: Religion (SEG-2)');
    expect(human.stdout).toContain('(SEG-2): csp 1');
  });

  it('SEG-2 / SRC-2: import --map LIEU_NAISS=communeName is refused, and without --map the column is dropped', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const file = writeCsv(files.file('lieu-naiss.csv'), [
      ['Nom', 'Email', 'Code postal', 'LIEU_NAISS'],
      ['Roux', 'roux@exemple.fr', '69003', 'Lyon'],
    ]);
    const res = await cli('import', file, '--source', source.id, '--map', 'LIEU_NAISS=communeName');
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^SEG-2: column "LIEU_NAISS"/m);
    expect(res.stderr + res.stdout).not.toContain('Lyon');
    const dropped = await cli('import', file, '--source', source.id, '--json');
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.json()).toMatchObject({ imported: 1, droppedRules: { LIEU_NAISS: 'SEG-2' } });
    const stored = (await s.db.execute(
      sql`select commune_code from contacts where org_id = ${org.id}`,
    )) as unknown as { rows: { commune_code: string | null }[] };
    expect(stored.rows).toEqual([{ commune_code: null }]);
  });

  it('SEG-2: segment count --where csp = musulman is refused with a line starting SEG-2', async () => {
    const org = await makeOrg(s);
    const res = await cli(
      'segment',
      'count',
      '--org',
      org.id,
      '--where',
      '{"field":"csp","op":"eq","value":"musulman"}',
    );
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^SEG-2: /m);
    expect(res.stderr).not.toContain('musulman');
    const ok = await cli(
      'segment',
      'count',
      '--org',
      org.id,
      '--where',
      '{"field":"csp","op":"eq","value":"37"}',
      '--json',
    );
    expect(ok.code, ok.stderr).toBe(0);
  });
});
