// Turns a zod failure into one DomainError that names every bad field.
import { z } from 'zod';
import { DomainError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  // The stable key names what is wrong with which fields (field paths, limits: never the values).
  const [key, params] = validationKey(result.error.issues, input);
  throw DomainError.keyed('invalid', key, problems.join('; '), params);
}

type Issue = z.core.$ZodIssue;

/** The value at a path of the input (issues do not carry it): to tell a missing field. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

/** One issue: a key per kind of problem, with the field and the limit it names. */
function issueKey(issue: Issue, input: unknown): [string, Record<string, string | number>] {
  const field = issue.path.join('.');
  const at: Record<string, string | number> = { field: field || '-' };
  const limit =
    (issue as { minimum?: unknown; maximum?: unknown }).minimum ??
    (issue as { maximum?: unknown }).maximum;
  const bound = typeof limit === 'number' || typeof limit === 'bigint' ? Number(limit) : undefined;
  const origin = (issue as { origin?: string }).origin;
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? ['validation.required', at]
        : ['validation.wrong_type', { ...at, expected: String(issue.expected) }];
    case 'too_small':
      if (origin === 'string' && bound === 1) return ['validation.required', at];
      return bound === undefined
        ? ['validation.too_small', at]
        : [
            origin === 'string'
              ? 'validation.too_short'
              : origin === 'array'
                ? 'validation.too_few'
                : 'validation.too_small',
            { ...at, min: bound },
          ];
    case 'too_big':
      return bound === undefined
        ? ['validation.too_big', at]
        : [
            origin === 'string'
              ? 'validation.too_long'
              : origin === 'array'
                ? 'validation.too_many'
                : 'validation.too_big',
            { ...at, max: bound },
          ];
    case 'invalid_format':
      return ['validation.format', at];
    case 'invalid_value':
      return ['validation.not_allowed', at];
    case 'unrecognized_keys':
      return ['validation.unknown_fields', { ...at, fields: issue.keys.join(', ') }];
    default:
      return ['validation.invalid_field', at];
  }
}

/** The key of a failed parse: one issue's own key, or the list of the fields to correct. */
function validationKey(issues: Issue[], input: unknown): [string, Record<string, string | number>] {
  if (issues.length === 1) return issueKey(issues[0]!, input);
  const fields = [...new Set(issues.map((i) => i.path.join('.') || '-'))];
  return ['validation.invalid_fields', { fields: fields.join(', '), count: issues.length }];
}

/** Who did it: recorded with every change ('cli', 'user:<id>', 'user:<id>/token:<id>', 'system'). */
export type Actor = string;

/** The clock is passed in so that tests and replays can fix "now". */
export type Clock = () => Date;

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** C0 control characters other than tab, newline and carriage return, and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Text from a file shown back or stored in clear (headers, messages): control characters become U+FFFD. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- see CONTROL_CHARACTERS
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
}

/** A required line of text: trimmed, bounded, no control characters (NUL breaks PostgreSQL). */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL_CHARACTERS.test(v), 'must not contain control characters');

/** An id taken from a path or an option: a clear error instead of a database type error. */
export function parseId(what: string, value: string): string {
  const result = z.uuid().safeParse(value);
  if (result.success) return result.data;
  throw DomainError.keyed('invalid', 'validation.id_not_uuid', `${what} id must be a UUID`, {
    what,
  });
}
