import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { describeError } from '../cli/errors.ts';
import { sql } from 'drizzle-orm';
import { organisations } from './schema/index.ts';
import { domainErrorFromDatabase, safeErrorDescription } from './errors.ts';

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

describe('database errors', () => {
  it('map a duplicate onto a conflict', async () => {
    const org = await makeOrg(s);
    const error = await failure(s.db.insert(organisations).values({ ...org }));
    expect(domainErrorFromDatabase(error)).toMatchObject({ code: 'conflict' });
  });

  it('are described without the query parameters, which can hold personal data', async () => {
    const org = await makeOrg(s);
    const error = await failure(
      s.db.insert(organisations).values({ ...org, dpoName: 'Marguerite Confidentielle' }),
    );
    expect(String((error as Error).message)).toContain('Marguerite Confidentielle');
    expect(JSON.stringify(safeErrorDescription(error))).not.toContain('Marguerite');
    const unexpected = Object.assign(new Error('Failed query: insert ... params: Marguerite'), {
      cause: { code: '57014', message: 'canceling statement due to user request' },
    });
    const line = describeError(unexpected).line;
    expect(line).toBe('error: unexpected failure: 57014 canceling statement due to user request');
  });

  it('SEG-2: a csp outside the PCS vocabulary written around the domain is refused under SEG-2, not merely invalid', async () => {
    const org = await makeOrg(s);
    const error = await failure(
      s.db.execute(sql`insert into contacts (id, org_id, identity, csp)
        values (gen_random_uuid(), ${org.id}, '\\x00'::bytea, 'musulman')`),
    );
    expect(domainErrorFromDatabase(error)).toMatchObject({ code: 'refused', rule: 'SEG-2' });
    expect(domainErrorFromDatabase(error)?.message).not.toContain('musulman');
  });
});
