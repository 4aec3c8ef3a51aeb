// What every CLI command receives: output streams, the --json switch, and a way to open the
// services (the same composition root as the server), closed by the runner at the end.
import type { Services } from '../services.ts';

export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A person is watching a terminal: progress bars are welcome. */
  interactive?: boolean;
};

export type CliContext = CliIo & {
  services(): Promise<Services>;
  /** Aborted on SIGINT/SIGTERM: long commands stop and roll back. */
  signal: AbortSignal;
  /** Prints the result: one JSON object with --json, readable lines otherwise. */
  print(json: boolean, value: unknown, human: string | string[]): void;
};

export function makePrinter(io: CliIo): CliContext['print'] {
  return (json, value, human) => {
    if (json) io.stdout(`${JSON.stringify(value)}\n`);
    else io.stdout(`${Array.isArray(human) ? human.join('\n') : human}\n`);
  };
}
