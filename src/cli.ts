// CLI entry: argv -> one command on the same services as the server -> exit code.
// SIGINT/SIGTERM stop the running command (an import rolls back: nothing half-done), close the
// database cleanly, and exit 130.
import { interruptCommands, runCli } from './cli/run.ts';

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    void interruptCommands().finally(() => process.exit(130));
  });
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
});
process.exitCode = interrupted ? 130 : code;
