// Parses argv, runs one command on the services, maps any error to one stderr line and an
// exit code. Tests call runCli in-process; src/cli.ts calls it for the real command.
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.ts';
import { createServices, type Services } from '../services.ts';
import { contactsCommand } from './commands/contacts.ts';
import { electionCommand } from './commands/election.ts';
import { auditCommand } from './commands/audit.ts';
import { importCommand } from './commands/import.ts';
import { segmentCommand } from './commands/segment.ts';
import { migrateCommand } from './commands/migrate.ts';
import { orgCommand } from './commands/org.ts';
import { sourceCommand } from './commands/source.ts';
import { tokenCommand } from './commands/token.ts';
import { userCommand } from './commands/user.ts';
import { campaignCommand } from './commands/campaign.ts';
import { objectionCommand } from './commands/objection.ts';
import { requestCommand } from './commands/request.ts';
import { reportCommand } from './commands/report.ts';
import { makePrinter, type CliContext, type CliIo } from './context.ts';
import { describeError, EXIT } from './errors.ts';
import { addHelp, VERSION } from './help.ts';
import { terminalText } from './terminal-text.ts';
import { auditRefusedCommand } from './refusal-attempt.ts';

export type RunOptions = CliIo & {
  env: NodeJS.ProcessEnv;
  /** Services to use instead of opening them from env (tests); not closed by the runner. */
  services?: Services;
};

// Commands running in this process, so that a signal can stop them (see interruptCommands).
const running = new Set<{ abort: AbortController; done: Promise<unknown> }>();

/**
 * Called on SIGINT/SIGTERM by src/cli.ts: asks running commands to stop (a long import stops
 * between batches and rolls back), then lets runCli close their databases as usual.
 */
export async function interruptCommands(): Promise<void> {
  for (const r of running) r.abort.abort();
  await Promise.allSettled([...running].map((r) => r.done));
}

export async function runCli(argv: string[], options: RunOptions): Promise<number> {
  const abort = new AbortController();
  let finished!: () => void;
  const entry = { abort, done: new Promise<void>((resolve) => (finished = resolve)) };
  running.add(entry);
  try {
    return await run(argv, options, abort.signal);
  } finally {
    running.delete(entry);
    finished();
  }
}

async function run(argv: string[], options: RunOptions, signal: AbortSignal): Promise<number> {
  let opened: Services | undefined;
  const ctx: CliContext = {
    stdout: options.stdout,
    stderr: options.stderr,
    interactive: options.interactive ?? false,
    signal,
    print: makePrinter(options),
    async services() {
      if (options.services) return options.services;
      if (!opened) {
        const config = loadConfig(options.env);
        // On stderr, once per command: --json output on stdout stays one JSON object.
        for (const warning of config.warnings) options.stderr(`warning: ${warning}\n`);
        // Only `migrate` creates or migrates a database; every other command needs a current one.
        const migrating = action?.name() === 'migrate' && action.parent === program;
        opened = await createServices(config, {
          migrate: migrating ? 'apply' : 'require-current',
        });
      }
      return opened;
    },
  };

  const program = new Command('isoloir')
    .description('Isoloir: lawful-by-construction political outreach')
    .exitOverride()
    // Each option belongs to the command it follows (so `import show ID --json` is show's).
    .enablePositionalOptions()
    .version(VERSION, '-V, --version', 'print the version')
    // Commander's own messages quote argv (an unknown option, a bad argument): escaped too.
    .configureOutput({
      writeOut: (text) => options.stdout(terminalText(text)),
      writeErr: (text) => options.stderr(terminalText(text)),
    });
  for (const register of [
    migrateCommand,
    orgCommand,
    electionCommand,
    sourceCommand,
    contactsCommand,
    importCommand,
    segmentCommand,
    auditCommand,
    campaignCommand,
    objectionCommand,
    requestCommand,
    reportCommand,
    userCommand,
    tokenCommand,
  ]) {
    register(program, ctx);
  }
  addHelp(program);
  // The command that runs, so that a rule refusal can be audited with what was attempted.
  let action: Command | undefined;
  program.hook('preAction', (_program, actionCommand) => {
    action = actionCommand;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help/version text).
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    }
    const { line, exitCode } = describeError(error);
    options.stderr(`${line}\n`);
    // A rule refusal is audited (who tried, which rule), after its own transaction rolled back.
    const services = options.services ?? opened;
    if (services)
      await auditRefusedCommand(services, action, error).catch((e: unknown) =>
        options.stderr(`error: the refusal could not be audited: ${describeError(e).line}\n`),
      );
    return exitCode;
  } finally {
    await opened?.close();
  }
}
