// A connection that PostgreSQL ends while it is checked out of the pool (inside a transaction, a
// send group's say) must not end the process: its transaction fails and rolls back, the pool
// drops it, and the next query works on a new connection.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServices, type TestServices } from '../../test/test-db.ts';

let s: TestServices;
let admin: pg.Client;
beforeAll(async () => {
  s = await openTestServices();
  admin = new pg.Client({ connectionString: s.config.databaseUrl });
  await admin.connect();
  await s.db.execute(sql`create table outage_probe (n int)`);
});
afterAll(async () => {
  await admin.end();
  await s.dispose();
});

const terminate = (pid: number) => admin.query('select pg_terminate_backend($1)', [pid]);
const pidOf = async (db: Pick<TestServices['db'], 'execute'>) =>
  Number(
    (
      (await db.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
        rows: { pid: number }[];
      }
    ).rows[0]!.pid,
  );

describe('a PostgreSQL connection ended inside a transaction', () => {
  it('does not end the process when the connection dies between two queries (the send-group case)', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const attempt = s.db.transaction(async (tx) => {
        await tx.execute(sql`insert into outage_probe values (1)`);
        await terminate(await pidOf(tx));
        // Held, no query in flight (a group waiting for its SMTP replies), while the end arrives.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.execute(sql`insert into outage_probe values (2)`);
      });
      await expect(attempt).rejects.toThrow();
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    // Rolled back, and the pool answers on a new connection.
    const rows = (await s.db.execute(
      sql`select count(*)::int as n from outage_probe`,
    )) as unknown as {
      rows: { n: number }[];
    };
    expect(rows.rows[0]!.n).toBe(0);
  });

  it('rejects the query in flight when the connection dies under it, and rolls back', async () => {
    const attempt = s.db.transaction(async (tx) => {
      await tx.execute(sql`insert into outage_probe values (3)`);
      const pid = await pidOf(tx);
      const slow = tx.execute(sql`select pg_sleep(5)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await terminate(pid);
      await slow;
    });
    await expect(attempt).rejects.toThrow();
    const rows = (await s.db.execute(
      sql`select count(*)::int as n from outage_probe`,
    )) as unknown as {
      rows: { n: number }[];
    };
    expect(rows.rows[0]!.n).toBe(0);
  });
});
