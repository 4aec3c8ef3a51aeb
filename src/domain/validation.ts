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
  throw new DomainError('invalid', problems.join('; '));
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
export const parseId = (what: string, value: string): string =>
  parseInput(z.uuid({ message: `${what} id must be a UUID` }), value);
