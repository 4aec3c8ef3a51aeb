// What the CLI writes to a terminal: text from files is shown escaped, never obeyed; --version
// and --help answer as a script or a person expects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir, writeCsv } from '../../test/files.ts';
import { cliRunner } from '../../test/cli-runner.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { EXIT } from './errors.ts';
import { EXIT_MEANINGS } from './help.ts';
import { terminalJson, terminalLine, terminalText } from './terminal-text.ts';

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

// What a terminal obeys: C0 but tab and newline, DEL, C1, line separators, bidi overrides/isolates.
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const OBEYED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ESC = '\u001b';
const CSI = '\u009b'; // the 8-bit form of ESC [
const RLO = '\u202e'; // right-to-left override

const ordinaryRows = (n: number) =>
  Array.from({ length: n }, (_, i) => [`Durand${i}`, `durand${i}@exemple.fr`, '']);

describe('text from files on the terminal', () => {
  it('a hostile header, cell or label is shown escaped in import, import show and source list', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { label: `Adh\rérents ${RLO}6202` });
    const hostileHeader = `Note\r${CSI}2J${RLO}x`;
    const file = writeCsv(files.file('hostile.csv'), [
      ['Nom', 'Email', hostileHeader],
      ['Petit', 'petit@exemple.fr', 'remarque'],
      // Ordinary rows, so that the few control characters do not make it look binary (sniff.ts).
      ...ordinaryRows(40),
      // More cells than columns: rejected whole, its cells kept in the quarantine.
      [`Gr\rand${CSI}2J`, 'grand@exemple.fr', 'x', 'surplus'],
      [`Moyen${ESC}[2J${ESC}]0;pwned\u0007`, 'moyen@exemple.fr', ''],
    ]);

    const imported = await cli('import', file, '--source', source.id);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).not.toMatch(OBEYED);
    // The header is still named, readably: the control characters as escapes.
    expect(imported.stdout).toContain(`Note\\r\\x9b2J\\u202ex`);

    const json = await cli('import', file, '--source', source.id, '--json');
    const importId = json.json().importId as string;
    const rejected = await cli('import', 'show', importId, '--rejected');
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).not.toMatch(OBEYED);
    expect(rejected.stdout).toContain('Nom=Gr\\rand\\x9b2J');
    // Each rejected row stays on one line of its own: a cell cannot forge a line.
    const lines = rejected.stdout.split('\n').filter((l) => l.startsWith('line '));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2);

    const listed = await cli('source', 'list', '--org', org.id);
    expect(listed.stdout).not.toMatch(OBEYED);
    expect(listed.stdout).toContain('Adh\\rérents \\u202e6202');
  });

  it('JSON output keeps the exact values, with nothing a terminal would obey left raw', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const file = writeCsv(files.file('hostile-json.csv'), [
      ['Nom', 'Email'],
      [`Gr\rand${CSI}2J${RLO}`, 'grand@exemple.fr', 'surplus'],
    ]);
    const importId = (await cli('import', file, '--source', source.id, '--json')).json()
      .importId as string;
    const shown = await cli('import', 'show', importId, '--rejected', '--json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.trimEnd()).not.toMatch(OBEYED);
    expect(shown.json().rejectedRows[0].cells.Nom).toBe(`Gr\rand${CSI}2J${RLO}`);
  });

  it('an error line quoting a value from the command line or a file is escaped on stderr', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const file = writeCsv(files.file('plain.csv'), [['Nom'], ['Petit']]);
    const res = await cli('import', file, '--source', source.id, '--map', `No${ESC}[2Jm\r=nothing`);
    expect(res.code).toBe(EXIT.invalid);
    expect(res.stderr).not.toMatch(OBEYED);
    expect(res.stderr).toContain('No\\x1b[2Jm\\r=nothing');
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);

    const unknown = await cli(`bogus${ESC}[2J`);
    expect(unknown.code).toBe(EXIT.invalid);
    expect(unknown.stderr).not.toMatch(OBEYED);
    expect(unknown.stderr).toContain('bogus\\x1b[2J');
  });

  it('escapes what a terminal obeys and leaves ordinary text, tabs and accents alone', () => {
    expect(terminalLine(`a${ESC}[31mb\rc\nd\u0007e${CSI}f\u0085g${RLO}h\u2066i\u2069\tj`)).toBe(
      'a\\x1b[31mb\\rc\\nd\\x07e\\x9bf\\x85g\\u202eh\\u2066i\\u2069\tj',
    );
    expect(terminalLine('Hélène Ñúñez 李 مرحبا')).toBe('Hélène Ñúñez 李 مرحبا');
    expect(terminalText('one\ntwo\r')).toBe('one\ntwo\\r');
    const value = { s: `x${CSI}${RLO}\u2028${ESC}\r` };
    expect(terminalJson(value)).not.toMatch(OBEYED);
    expect(JSON.parse(terminalJson(value))).toEqual(value);
  });
});

/** Subcommand names listed in a help text's "Commands:" section. */
function subcommands(help: string): string[] {
  const section = help.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
  return section
    .split('\n')
    .map((l) => /^ {2}([a-z][\w-]*)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== 'help');
}

describe('isoloir --version and --help', () => {
  it('--version and -V print the version of package.json and exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const res = await cli(flag);
      expect(res.code).toBe(0);
      expect(res.stdout.trim()).toBe(packageJson.version);
    }
  });

  it('the program help lists every exit code with its meaning', async () => {
    const res = await cli('--help');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Exit codes:');
    for (const [name, code] of Object.entries(EXIT)) {
      const meaning = EXIT_MEANINGS[name as keyof typeof EXIT];
      expect(res.stdout).toMatch(
        new RegExp(`^ +${code} +${meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
      );
    }
    expect(Object.values(EXIT).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 130]);
  });

  it('every command and subcommand shows an example of itself, using only its own options', async () => {
    const seen: string[] = [];
    const walk = async (path: string[]) => {
      const res = await cli(...path, '--help');
      expect(res.code, path.join(' ')).toBe(0);
      const name = ['isoloir', ...path].join(' ');
      const examples = res.stdout
        .split('\n')
        .filter((l) => l.startsWith('Example: '))
        .map((l) => l.slice('Example: '.length));
      expect(examples.length, `${name} --help has no "Example:" line`).toBeGreaterThan(0);
      // The program's examples show other commands; a command's examples show that command.
      if (path.length)
        for (const e of examples) {
          expect(e.startsWith(`${name} `) || e === name, `${name}: ${e}`).toBe(true);
          for (const flag of e.match(/(?<= )--[a-z][\w-]*/g) ?? [])
            if (flag !== '--help') expect(res.stdout, `${name}: ${flag}`).toContain(`${flag} `);
        }
      seen.push(name);
      for (const sub of subcommands(res.stdout)) await walk([...path, sub]);
    };
    await walk([]);
    // The walk reached the commands (a help format change would make it silently empty).
    expect(seen).toEqual(
      expect.arrayContaining([
        'isoloir',
        'isoloir import',
        'isoloir import show',
        'isoloir campaign pause',
        'isoloir user reset-second-factor',
        'isoloir token revoke',
      ]),
    );
    expect(seen.length).toBeGreaterThan(40);
  });
});
