// Database errors never carry a row's values into a log line, an API or CLI answer, or
// imports.error: PostgreSQL quotes the refused value in its message for several SQLSTATEs
// (22P02, 22007, 22008, 22003, 22021...) and names a key's values in its detail (23505).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServices, testDbKind, type TestServices } from '../../test/test-db.ts';
import { describeError } from '../cli/errors.ts';
import { domainErrorFromDatabase, safeErrorDescription, withoutValues } from './errors.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

/** Everything the error becomes on its way out: the log line, the domain error, the CLI's line. */
function outputs(error: unknown): string {
  return JSON.stringify([
    safeErrorDescription(error),
    domainErrorFromDatabase(error)?.message,
    describeError(error).line,
  ]);
}

describe(`database errors quote no value (${testDbKind})`, () => {
  it.each([
    ['22P02', 'Marguerite Confidentielle', sql`select ${'Marguerite Confidentielle'}::int`],
    ['22P02', 'Marguerite Confidentielle', sql`select ${'Marguerite Confidentielle'}::uuid`],
    ['22007', 'Marguerite Confidentielle', sql`select ${'Marguerite Confidentielle'}::date`],
    ['22008', '1980-02-31', sql`select ${'1980-02-31'}::date`],
    ['22003', '99999999999', sql`select ${'99999999999'}::int`],
  ])(
    'a value the database refuses (%s) is named in no log line, domain error or CLI answer',
    async (code, canary, query) => {
      const error = await failure(s.db.execute(query));
      expect(safeErrorDescription(error).code).toBe(code);
      // The driver's own message does quote it: this is what must not go out.
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error)).toMatch(
        new RegExp(canary),
      );
      expect(outputs(error)).not.toContain(canary);
      // Still useful: the kind of failure is said.
      expect(safeErrorDescription(error).message.length).toBeGreaterThan(10);
    },
  );

  it('a duplicate key names its constraint but never the key’s values (23505 detail)', async () => {
    await s.db.execute(sql`create temporary table canary_people (email text unique)`);
    await s.db.execute(sql`insert into canary_people values (${'marguerite@exemple.fr'})`);
    const error = await failure(
      s.db.execute(sql`insert into canary_people values (${'marguerite@exemple.fr'})`),
    );
    expect(outputs(error)).not.toContain('marguerite');
    expect(domainErrorFromDatabase(error)).toMatchObject({ code: 'conflict' });
    expect(safeErrorDescription(error).message).toContain('canary_people_email_key');
  });

  it('a check constraint’s refusal never repeats the failing row (23514 detail)', async () => {
    await s.db.execute(
      sql`create temporary table canary_ages (name text, age int constraint canary_age_positive check (age > 0))`,
    );
    const error = await failure(
      s.db.execute(sql`insert into canary_ages values (${'Marguerite Confidentielle'}, -1)`),
    );
    expect(outputs(error)).not.toContain('Marguerite');
    expect(domainErrorFromDatabase(error)?.message).toContain('canary_age_positive');
  });

  it('messages that carry values in other shapes lose them, and keep the names of the schema', () => {
    expect(withoutValues('Key (email)=(marguerite@exemple.fr) already exists.')).toBe(
      'Key (email)=(…) already exists.',
    );
    expect(withoutValues('value "0612345678" is out of range for type integer')).toBe(
      'value "…" is out of range for type integer',
    );
    expect(withoutValues('invalid byte sequence for encoding "UTF8": 0x00')).toBe(
      'invalid byte sequence for encoding "UTF8"',
    );
    expect(
      withoutValues('new row for relation "contacts" violates check constraint "contacts_csp"'),
    ).toBe('new row for relation "contacts" violates check constraint "contacts_csp"');
    expect(
      withoutValues('Failed query: insert into "t" values ($1)\nparams: Marguerite Confidentielle'),
    ).toBe('a database query failed');
    expect(withoutValues('time zone "Marguerite" not recognized')).not.toContain('Marguerite');
  });
});
