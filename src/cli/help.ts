// What `isoloir --help` and every command's --help end with: an example of the command, and at
// the top level the exit codes scripts rely on. A test walks every registered command and
// subcommand (src/cli/terminal.test.ts): a new command needs its example here.
import fs from 'node:fs';
import type { Command } from 'commander';
import { EXIT } from './errors.ts';

/** The version in package.json, printed by `isoloir --version` / `-V`. */
export const VERSION: string = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** What each exit code means; typed on EXIT so a new code cannot go undocumented. */
export const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'success',
  unexpected: 'unexpected failure (a bug, or the database failed mid-way)',
  invalid: 'invalid input: a usage error, a bad option or value, a file refused as unreadable',
  refused:
    'refused: by a rule (the line starts with its id, e.g. "SRC-1: ..."), not permitted, or throttled',
  notFound: 'not found: no such organisation, source, import, campaign...',
  conflict: 'conflict: it already exists, or its state does not allow this now',
  environment:
    'environment: configuration, master key, data directory or database not usable (nothing changed)',
  interrupted: 'interrupted by SIGINT/SIGTERM (a running import rolled back)',
};

export function exitCodesHelp(): string {
  const codes = (Object.keys(EXIT) as (keyof typeof EXIT)[]).map(
    (name) => `  ${String(EXIT[name]).padStart(3)}  ${EXIT_MEANINGS[name]}`,
  );
  return ['', 'Exit codes:', ...codes].join('\n');
}

/**
 * Examples by command path ('' is the program itself). Identifiers are shell variables holding
 * the ids that earlier commands print (`--json` gives them as `.id`).
 */
export const EXAMPLES: Record<string, string[]> = {
  '': [
    'isoloir migrate',
    'isoloir org create --help',
    'isoloir import liste.csv --source $SOURCE --json',
  ],
  migrate: ['isoloir migrate --json'],
  org: ['isoloir org list', 'isoloir org show $ORG'],
  'org create': [
    'isoloir org create --name "Liste Citoyenne" --jurisdiction FR --address "3 rue Exemple, 13001 Marseille" --email contact@liste.example --dpo-email dpo@liste.example',
  ],
  'org update': ['isoloir org update $ORG --cndp-receipt D-2026-0142'],
  'org list': ['isoloir org list --json'],
  'org show': ['isoloir org show $ORG'],
  election: ['isoloir election list --org $ORG'],
  'election create': [
    'isoloir election create --org $ORG --name "Municipales 2026" --round1 2026-03-15 --round2 2026-03-22 --territory 13055',
  ],
  'election list': ['isoloir election list --org $ORG --json'],
  source: ['isoloir source list --org $ORG'],
  'source create': [
    'isoloir source create --org $ORG --type electoral_list --label "LE Marseille 2026" --election $ELECTION --obtained 2026-01-10',
  ],
  'source list': ['isoloir source list --org $ORG'],
  'source show': ['isoloir source show $SOURCE'],
  'source delete': ['isoloir source delete $SOURCE'],
  contacts: ['isoloir contacts count --org $ORG'],
  'contacts count': ['isoloir contacts count --org $ORG --json'],
  import: [
    'isoloir import liste.csv --source $SOURCE',
    'isoloir import adherents.xlsx --source $SOURCE --sheet "2026" --map "Tel portable=phone" --map Remarques=ignore',
  ],
  'import show': ['isoloir import show $IMPORT --rejected'],
  segment: ['isoloir segment list --org $ORG'],
  'segment count': [
    `isoloir segment count --org $ORG --where '{"field":"age","op":"gte","value":60}'`,
  ],
  'segment save': [
    `isoloir segment save --org $ORG --name "Seniors" --where '{"field":"age","op":"gte","value":60}'`,
  ],
  'segment list': ['isoloir segment list --org $ORG --json'],
  'segment show': ['isoloir segment show $SEGMENT'],
  'segment delete': ['isoloir segment delete $SEGMENT'],
  'segment preview': ['isoloir segment preview --segment $SEGMENT --limit 5'],
  audit: ['isoloir audit verify'],
  'audit verify': ['isoloir audit verify --checkpoint checkpoint-2026-03.json'],
  'audit checkpoint': ['isoloir audit checkpoint > checkpoint-2026-03.json'],
  'audit list': ['isoloir audit list --org $ORG --refused --since 2026-03-01 --limit 20'],
  campaign: ['isoloir campaign status $CAMPAIGN'],
  'campaign create': [
    'isoloir campaign create --org $ORG --segment $SEGMENT --subject "Bonjour {{firstName}}" --body-file lettre.md --from contact@liste.example',
  ],
  'campaign plan': ['isoloir campaign plan $CAMPAIGN'],
  'campaign send': ['isoloir campaign send $CAMPAIGN --wait'],
  'campaign pause': ['isoloir campaign pause $CAMPAIGN'],
  'campaign resume': ['isoloir campaign resume $CAMPAIGN'],
  'campaign cancel': ['isoloir campaign cancel $CAMPAIGN'],
  'campaign resend-unknown': ['isoloir campaign resend-unknown $CAMPAIGN --json'],
  'campaign status': ['isoloir campaign status $CAMPAIGN --json'],
  objection: ['isoloir objection record --org $ORG --email voter@example.fr --method letter'],
  'objection record': [
    'isoloir objection record --org $ORG --phone +33612345678 --method phone_call',
  ],
  report: ['isoloir report list --org $ORG'],
  'report list': ['isoloir report list --org $ORG --json'],
  request: ['isoloir request list --org $ORG'],
  'request list': ['isoloir request list --org $ORG --status open --json'],
  'request show': ['isoloir request show $REQUEST'],
  'request answer': [
    'isoloir request answer $REQUEST --note "Voici la copie de vos données demandée."',
    'isoloir request answer $REQUEST --note "Nous devons rechercher vos données dans nos archives papier." --extend-days 30',
  ],
  user: ['isoloir user list --org $ORG'],
  'user create': [
    'isoloir user create --email camille@liste.example --name "Camille" --org $ORG --role manager',
  ],
  'user list': ['isoloir user list --org $ORG'],
  'user disable': ['isoloir user disable camille@liste.example'],
  'user reset-second-factor': ['isoloir user reset-second-factor camille@liste.example'],
  token: ['isoloir token list'],
  'token create': [
    'isoloir token create --user camille@liste.example --org $ORG --scope contact.count,segment.count --expires-days 30',
  ],
  'token list': ['isoloir token list --user camille@liste.example'],
  'token revoke': ['isoloir token revoke $TOKEN'],
};

/** A command's path under the program: '' for the program, 'import show' for a subcommand. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command under `program`, the program first. */
export function allCommands(program: Command): Command[] {
  return [program, ...program.commands.flatMap((c) => allCommands(c))];
}

/** Adds the examples (and, at the top, the exit codes) to every command's help. */
export function addHelp(program: Command): void {
  for (const command of allCommands(program)) {
    const examples = EXAMPLES[commandPath(command)];
    if (examples?.length)
      command.addHelpText('after', ['', ...examples.map((e) => `Example: ${e}`)].join('\n'));
  }
  program.addHelpText('after', exitCodesHelp());
}
