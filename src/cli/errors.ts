// The one place where errors become exit codes and a single stderr line.
// A rule refusal starts with the rule id ("SRC-1: ..."), so scripts can grep it.
import { ConfigError } from '../config.ts';
import { MasterKeyError } from '../crypto/master-key.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import {
  DatabaseUnavailableError,
  domainErrorFromDatabase,
  safeErrorDescription,
} from '../db/errors.ts';
import { DomainError, InterruptedError, type ErrorCode } from '../domain/errors.ts';
import { terminalLine } from './terminal-text.ts';

export const EXIT = {
  ok: 0,
  unexpected: 1,
  invalid: 2,
  refused: 3,
  notFound: 4,
  conflict: 5,
  environment: 6,
  /** Stopped by SIGINT/SIGTERM (128 + 2, the shell's convention for SIGINT). */
  interrupted: 130,
} as const;

const BY_CODE: Record<ErrorCode, number> = {
  invalid: EXIT.invalid,
  unauthenticated: EXIT.invalid,
  forbidden: EXIT.refused,
  not_found: EXIT.notFound,
  conflict: EXIT.conflict,
  refused: EXIT.refused,
  throttled: EXIT.refused,
};

export class UsageError extends Error {}

/**
 * The stderr line and exit code of an error. Messages may quote a column header or a cell (a
 * duplicated header, a source label): control characters are escaped (terminal-text.ts).
 */
export function describeError(error: unknown): { line: string; exitCode: number } {
  const { line, exitCode } = describe(error);
  return { line: terminalLine(line), exitCode };
}

function describe(error: unknown): { line: string; exitCode: number } {
  error = domainErrorFromDatabase(error) ?? error;
  if (error instanceof DomainError) {
    const line = error.rule ? `${error.rule}: ${error.message}` : `error: ${error.message}`;
    return { line, exitCode: BY_CODE[error.code] };
  }
  if (error instanceof InterruptedError) {
    return { line: `interrupted: ${error.message}`, exitCode: EXIT.interrupted };
  }
  if (error instanceof UsageError)
    return { line: `error: ${error.message}`, exitCode: EXIT.invalid };
  if (
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof MasterKeyError ||
    error instanceof DatabaseUnavailableError
  ) {
    return { line: `error: ${error.message}`, exitCode: EXIT.environment };
  }
  // One line, and never a database error's query parameters (they can hold personal data).
  const safe = safeErrorDescription(error);
  return {
    line: `error: unexpected failure: ${safe.code ? `${safe.code} ` : ''}${safe.message}`,
    exitCode: EXIT.unexpected,
  };
}
