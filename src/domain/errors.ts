// The domain speaks in a small closed set of error codes. HTTP and CLI each map them in one place.
import type { RuleId, Violation } from '../policy/rules.ts';

export type ErrorCode =
  | 'invalid' // the input is malformed
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict' // the input clashes with what is stored
  | 'refused' // a rule of the rulebook refuses it (carries the rule id)
  | 'throttled'; // too many attempts: try again later

/**
 * A stable identifier of the message (`import.cell_too_large`), with the values it names, so
 * that the web app and the public pages can say it in the user's language. The English
 * `message` stays for logs, the CLI and API callers.
 */
export type MessageDetail = {
  key: string;
  params?: Record<string, string | number>;
  /** The message to store (an import's `error`) when `message` quotes the file (its sheet names). */
  stored?: string;
};

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly rule: RuleId | undefined;
  readonly violations: Violation[];
  readonly key: string | undefined;
  readonly params: Record<string, string | number> | undefined;
  /** What may be stored and shown later (imports.error): `message` without what the file names. */
  readonly storedMessage: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    rule?: RuleId,
    violations: Violation[] = [],
    detail?: MessageDetail,
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.rule = rule;
    this.violations = violations;
    this.key = detail?.key;
    this.params = detail?.params;
    this.storedMessage = detail?.stored;
  }

  /** An error with its stable message key: `DomainError.keyed('invalid', 'import.no_header', 'the file has no header line')`. */
  static keyed(
    code: ErrorCode,
    key: string,
    message: string,
    params?: Record<string, string | number>,
    rule?: RuleId,
  ): DomainError {
    return new DomainError(code, message, rule, [], { key, params });
  }

  /** A refusal by the first broken rule, keeping every violation for the caller to show. */
  static refused(violations: Violation[]): DomainError {
    const [first] = violations;
    if (!first) throw new Error('DomainError.refused needs at least one violation');
    return new DomainError(
      'refused',
      first.message,
      first.rule,
      violations,
      first.key ? { key: first.key, params: first.params } : undefined,
    );
  }
}

/** The operation was stopped on request (a signal): its transaction rolled back, nothing stored. */
export class InterruptedError extends Error {
  constructor(what: string) {
    super(`${what} was interrupted; nothing of it was stored`);
    this.name = 'InterruptedError';
  }
}

/** Brute force is throttled (SEC-2): the caller may try again after `retryAfterSeconds`. */
export class ThrottledError extends DomainError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(
      'throttled',
      `too many failed sign-in attempts: try again in ${retryAfterSeconds} s`,
      'SEC-2',
      [],
      { key: 'session.throttled', params: { seconds: retryAfterSeconds } },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
