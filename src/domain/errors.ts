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

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly rule: RuleId | undefined;
  readonly violations: Violation[];

  constructor(code: ErrorCode, message: string, rule?: RuleId, violations: Violation[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.rule = rule;
    this.violations = violations;
  }

  /** A refusal by the first broken rule, keeping every violation for the caller to show. */
  static refused(violations: Violation[]): DomainError {
    const [first] = violations;
    if (!first) throw new Error('DomainError.refused needs at least one violation');
    return new DomainError('refused', first.message, first.rule, violations);
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
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
