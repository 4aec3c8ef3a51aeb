// Database errors, made safe and meaningful. Driver errors (and Drizzle's wrapper) carry the
// query and its parameters, which can hold personal data: they are never logged or printed as
// they are. What is kept is the SQLSTATE and the server's one-line message.
import { DomainError } from '../domain/errors.ts';
import { RULES, type RuleId } from '../policy/rules.ts';

/** Check constraints that back a rule up when a domain check is bypassed (see the migrations). */
const CONSTRAINT_RULES: Record<string, { rule: RuleId; key: string; message: string }> = {
  contacts_csp_pcs_2020: {
    rule: 'SEG-2',
    key: 'db.csp_closed',
    message: 'csp takes only an INSEE PCS 2020 code (a closed vocabulary)',
  },
  contacts_polling_station_code: {
    rule: 'SEG-2',
    key: 'db.polling_station_closed',
    message: 'pollingStation takes only a polling-station code (a closed vocabulary)',
  },
  data_sources_lawful_type: {
    rule: 'SRC-1',
    key: 'db.source_type_unlawful',
    message: 'this source type is not a lawful source for political outreach',
  },
  data_sources_purchased_attested: {
    rule: 'SRC-3',
    key: 'db.purchased_unattested',
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

/** Words after which PostgreSQL quotes a name of the schema (safe), not a row's value. */
const NAMED =
  /\b(?:constraint|relation|column|table|index|type|schema|function|sequence|database|role|encoding|trigger|view|operator|extension|savepoint|cursor|statement|parameter|domain|enum|collation|publication|portal|tablespace)\s*$/i;

/**
 * A database (or driver) message without the values it quotes: the first line only; a quoted
 * value that ends it (`invalid input syntax for type integer: "…"`, `date/time field value out
 * of range: "…"`) or bytes (`…: 0x00`) are cut; any other quoted text that is not a schema name
 * (`value "…" is out of range`) becomes "…"; a key (`Key (email)=(…)`) or a failing row loses its
 * values; a Drizzle "Failed query" (the query, then its parameters) is not repeated at all.
 */
export function withoutValues(message: string): string {
  const line = message.split('\n')[0]!;
  if (/^\s*Failed query\b/i.test(line)) return 'a database query failed';
  const cut = line
    .replace(/:\s*(?:"|'|0x[0-9a-f]).*$/is, '')
    .replace(/\bFailing row contains\b.*$/is, 'the row was refused')
    .replace(/\(([^()]*)\)=\((?:[^()]|\([^()]*\))*\)/g, '($1)=(…)');
  let out = '';
  let rest = cut;
  for (
    let m = /"(?:[^"]|"")*"|'(?:[^']|'')*'/.exec(rest);
    m;
    m = /"(?:[^"]|"")*"|'(?:[^']|'')*'/.exec(rest)
  ) {
    const before = rest.slice(0, m.index);
    out += before + (NAMED.test(out + before) ? m[0] : m[0][0] === '"' ? '"…"' : "'…'");
    rest = rest.slice(m.index + m[0].length);
  }
  return (out + rest).trim() || 'database error';
}

/** A description of any error that is safe to log: no query, no parameters, no detail, no value. */
export function safeErrorDescription(error: unknown): {
  name: string;
  code?: string;
  message: string;
} {
  const cause = databaseCause(error);
  if (cause)
    return {
      name: 'DatabaseError',
      code: cause.code,
      message: withoutValues(cause.message ?? 'database error'),
    };
  if (error instanceof Error) return { name: error.name, message: withoutValues(error.message) };
  return { name: 'Error', message: withoutValues(String(error)) };
}

/** Maps what the database refused onto the domain's error codes; undefined if it is not that. */
export function domainErrorFromDatabase(error: unknown): DomainError | undefined {
  const cause = databaseCause(error);
  if (!cause?.code) return undefined;
  const message = cause.message ?? '';
  switch (cause.code) {
    case '23505':
      return DomainError.keyed(
        'conflict',
        'db.already_exists',
        `this already exists (${cause.constraint ?? 'unique constraint'})`,
      );
    case '23503':
      return DomainError.keyed(
        'conflict',
        'db.reference_invalid',
        `this refers to a record that does not exist, or is still referred to (${cause.constraint ?? 'foreign key'})`,
      );
    case '23514':
    case '23502': {
      // Triggers that enforce a rule start their message with the rule id.
      const rule = /^([A-Z]+-[A-Z0-9]+): (.*)$/.exec(message);
      if (rule && rule[1]! in RULES)
        return DomainError.keyed('refused', 'db.rule_refused', rule[2]!, {}, rule[1] as RuleId);
      // Check constraints that back a rule up refuse under it (and so are audited as refusals).
      const backed = cause.constraint ? CONSTRAINT_RULES[cause.constraint] : undefined;
      if (backed)
        return new DomainError('refused', backed.message, backed.rule, [], { key: backed.key });
      return DomainError.keyed(
        'invalid',
        'db.value_refused',
        `the database refused the value (${cause.constraint ?? withoutValues(message)})`,
      );
    }
    case '22021': // invalid byte sequence (e.g. a NUL character)
    case '22P02': // invalid text representation
    case '22001': // value too long
    case '22007': // invalid datetime format
    case '22008': // datetime out of range
      return DomainError.keyed(
        'invalid',
        'db.value_invalid',
        `a value is not valid: ${withoutValues(message)}`,
      );
    default:
      return undefined;
  }
}
