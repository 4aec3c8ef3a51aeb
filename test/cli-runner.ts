// Runs the CLI in-process on given services, capturing what it prints.
import { runCli } from '../src/cli/run.ts';
import type { Services } from '../src/services.ts';

export type CliResult = {
  code: number;
  stdout: string;
  stderr: string;
  json(): Record<string, any>;
};

export function cliRunner(services: () => Services) {
  return async (...argv: string[]): Promise<CliResult> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: {},
      services: services(),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> };
  };
}
