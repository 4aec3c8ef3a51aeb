// What every CLI command receives: output streams, the --json switch, and a way to open the
// services (the same composition root as the server), closed by the runner at the end.
import type { Services } from '../services.ts';
import { terminalJson, terminalLine } from './terminal-text.ts';

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

/**
 * The one place results reach stdout. Human lines carry text from files and people (cells,
 * headers, labels, reasons): their control characters are escaped (terminal-text.ts), so a
 * hostile header cannot clear or rewrite the terminal, nor a cell holding a newline forge a line.
 */
export function makePrinter(io: CliIo): CliContext['print'] {
  return (json, value, human) => {
    if (json) io.stdout(`${terminalJson(value)}\n`);
    else io.stdout(`${(Array.isArray(human) ? human : [human]).map(terminalLine).join('\n')}\n`);
  };
}
