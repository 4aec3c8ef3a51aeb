// Turns a zod failure into one DomainError that names every bad field.
import type { z } from 'zod';
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

/** Who did it: recorded with every change ('cli', 'token:<id>', 'system'). */
export type Actor = string;

/** The clock is passed in so that tests and replays can fix "now". */
export type Clock = () => Date;

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
