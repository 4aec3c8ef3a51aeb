// PostgreSQL drops connections (restarts, failovers, pg_terminate_backend): the process must
// survive and the next query must work.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countContacts } from '../../src/domain/contacts/contacts.ts';
import { makeOrg } from '../factories.ts';
import { openTestServices, type TestServices } from '../test-db.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

describe('PostgreSQL connections', () => {
  it('survives the server dropping idle connections, and keeps answering', async () => {
    const org = await makeOrg(s);
    await Promise.all([1, 2, 3].map(() => s.db.execute(sql`select pg_sleep(0.05)`)));
    const dbName = new URL(s.config.databaseUrl!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const killed = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [dbName],
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });
});
