// /health on PostgreSQL asks through a connection of its own (Database.probe): a main pool whose
// every connection is taken (objections queued on a send group's locks, say) is busy, not out of
// reach, and a load balancer must not take the server out for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createApp } from './app.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

describe('/health with a busy main pool', () => {
  it('answers 200 while every connection of the main pool is held by a transaction', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let open = 0;
    // The main pool has 10 connections: hold them all, each in a transaction that waits.
    const holders = Array.from({ length: 10 }, () =>
      s.db.transaction(async (tx) => {
        await tx.execute('select 1');
        open++;
        await held;
      }),
    );
    try {
      for (let i = 0; i < 200 && open < 10; i++) await new Promise((r) => setTimeout(r, 25));
      // The hostile case happened: the main pool has nothing left to give.
      expect(open).toBe(10);
      const res = await createApp(s).request('/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', database: 'postgres' });
    } finally {
      release();
      await Promise.all(holders);
    }
  });
});
