// Database errors, made safe and meaningful. Driver errors (and Drizzle's wrapper) carry the
// query and its parameters, which can hold personal data: they are never logged or printed as
// they are. What is kept is the SQLSTATE and the server's one-line message.
import { DomainError } from '../domain/errors.ts';
import { RULES, type RuleId } from '../policy/rules.ts';

/** Check constraints that back a rule up when a domain check is bypassed (see the migrations). */
const CONSTRAINT_RULES: Record<string, { rule: RuleId; message: string }> = {
  contacts_csp_pcs_2020: {
    rule: 'SEG-2',
    message: 'csp takes only an INSEE PCS 2020 code (a closed vocabulary)',
  },
  contacts_polling_station_code: {
    rule: 'SEG-2',
    message: 'pollingStation takes only a polling-station code (a closed vocabulary)',
  },
  data_sources_lawful_type: {
    rule: 'SRC-1',
    message: 'this source type is not a lawful source for political outreach',
  },
  data_sources_purchased_attested: {
    rule: 'SRC-3',
    message: 'a purchased file needs its provider’s attestation of consent to political messages',
  },
};

export class DatabaseUnavailableError extends Error {}

type PgError = { code?: string; message?: string; constraint?: string };

/** The PostgreSQL error inside a (possibly wrapped) error, if any. */
export function databaseCause(error: unknown): PgError | undefined {
  for (
    let e = error as (PgError & { cause?: unknown }) | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
  }
  return undefined;
}

/** A description of any error that is safe to log: no query, no parameters, no detail. */
export function safeErrorDescription(error: unknown): {
  name: string;
  code?: string;
  message: string;
} {
  const cause = databaseCause(error);
  if (cause)
    return { name: 'DatabaseError', code: cause.code, message: cause.message ?? 'database error' };
  if (error instanceof Error) return { name: error.name, message: error.message.split('\n')[0]! };
  return { name: 'Error', message: String(error).split('\n')[0]! };
}

/** Maps what the database refused onto the domain's error codes; undefined if it is not that. */
export function domainErrorFromDatabase(error: unknown): DomainError | undefined {
  const cause = databaseCause(error);
  if (!cause?.code) return undefined;
  const message = cause.message ?? '';
  switch (cause.code) {
    case '23505':
      return new DomainError(
        'conflict',
        `this already exists (${cause.constraint ?? 'unique constraint'})`,
      );
    case '23503':
      return new DomainError(
        'conflict',
        `this refers to a record that does not exist, or is still referred to (${cause.constraint ?? 'foreign key'})`,
      );
    case '23514':
    case '23502': {
      // Triggers that enforce a rule start their message with the rule id.
      const rule = /^([A-Z]+-[A-Z0-9]+): (.*)$/.exec(message);
      if (rule && rule[1]! in RULES) return new DomainError('refused', rule[2]!, rule[1] as RuleId);
      // Check constraints that back a rule up refuse under it (and so are audited as refusals).
      const backed = cause.constraint ? CONSTRAINT_RULES[cause.constraint] : undefined;
      if (backed) return new DomainError('refused', backed.message, backed.rule);
      return new DomainError(
        'invalid',
        `the database refused the value (${cause.constraint ?? message})`,
      );
    }
    case '22021': // invalid byte sequence (e.g. a NUL character)
    case '22P02': // invalid text representation
    case '22001': // value too long
    case '22007': // invalid datetime format
    case '22008': // datetime out of range
      return new DomainError('invalid', `a value is not valid: ${message}`);
    default:
      return undefined;
  }
}
