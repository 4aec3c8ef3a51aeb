// The dependency rule of ARCHITECTURE.md is enforced by the linter; this proves the lint rule
// actually rejects what it should, so that a config change cannot silently disable it.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './processes.ts';

const eslint = new ESLint({ cwd: repoRoot });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('dependencies point inward', () => {
  it('forbids policy/ and domain/ from importing http, cli or channel implementations', async () => {
    for (const file of ['src/domain/contacts/x.ts', 'src/policy/x.ts']) {
      for (const target of [
        '../../http/app.ts',
        '../../cli/run.ts',
        '../../dispatch/channels/smtp.ts',
        '../../config.ts',
      ]) {
        expect(await ruleIds(`import '${target}';\n`, file), `${file} -> ${target}`).toContain(
          'no-restricted-imports',
        );
      }
    }
  });

  it('forbids the other ways to the environment in policy/ and domain/', async () => {
    const file = 'src/domain/contacts/x.ts';
    expect(
      await ruleIds("import { env } from 'node:process';\nexport const x = env.A;\n", file),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds("import { env } from 'process';\nexport const x = env.A;\n", file),
    ).toContain('no-restricted-imports');
    expect(await ruleIds('export const x = globalThis.process.env.A;\n', file)).toContain(
      'no-restricted-syntax',
    );
  });

  it('forbids reading process.env outside config.ts', async () => {
    const code = 'export const x = process.env.SECRET;\n';
    expect(await ruleIds(code, 'src/domain/contacts/x.ts')).toContain('no-restricted-properties');
    expect(await ruleIds(code, 'src/http/x.ts')).toContain('no-restricted-properties');
    expect(await ruleIds(code, 'src/config.ts')).not.toContain('no-restricted-properties');
  });

  it('forbids http/ and cli/ from importing db/schema, types included', async () => {
    for (const [file, target] of [
      ['src/http/x.ts', '../db/schema/index.ts'],
      ['src/http/routes/x.ts', '../../db/schema/sources.ts'],
      ['src/cli/x.ts', '../db/schema/index.ts'],
      ['src/cli/commands/x.ts', '../../db/schema'],
    ] as const) {
      for (const code of [
        `import { imports } from '${target}';\nexport const x = imports;\n`,
        `import type { SourceType } from '${target}';\nexport type X = SourceType;\n`,
        `export { LAWFUL_SOURCE_TYPES } from '${target}';\n`,
      ]) {
        expect(await ruleIds(code, file), `${file}: ${code}`).toContain('no-restricted-imports');
      }
    }
  });

  it('lets http/ and cli/ import the domain and the policy', async () => {
    for (const file of ['src/http/routes/x.ts', 'src/cli/commands/x.ts']) {
      expect(
        await ruleIds(
          "import { organisationOf } from '../../domain/access/entity-organisation.ts';\n" +
            "import { LAWFUL_SOURCE_TYPES } from '../../policy/sources.ts';\n" +
            'export const x = [organisationOf, LAWFUL_SOURCE_TYPES];\n',
          file,
        ),
      ).toEqual([]);
    }
  });

  it('holds today: no file of http/ or cli/ imports db/schema', async () => {
    const results = await eslint.lintFiles(['src/http/**/*.ts', 'src/cli/**/*.ts']);
    const offending = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports' && /db\/schema|tables/.test(m.message))
        .map((m) => `${r.filePath}:${m.line}`),
    );
    expect(offending).toEqual([]);
  });

  it('lets the domain import the database and crypto layers', async () => {
    expect(
      await ruleIds(
        "import '../../db/open-db.ts';\nimport '../../crypto/aead.ts';\n",
        'src/domain/contacts/x.ts',
      ),
    ).toEqual([]);
  });
});
