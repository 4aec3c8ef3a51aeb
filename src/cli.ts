// CLI entry: argv -> one command on the same services as the server -> exit code.
// SIGINT/SIGTERM close the database cleanly (the embedded one would otherwise keep its lock and
// an unfinished transaction is rolled back, never half-applied).
import { closeOpenServices, runCli } from './cli/run.ts';

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`interrupted (${signal}): closing the database\n`);
    void closeOpenServices().finally(() => process.exit(130));
  });
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
