// /health while the database is away: 503 with a short reason, within its time-box, never a 500
// and never the driver's error; 200 as before once the database answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { createPgPool, type Db } from '../db/open-db.ts';
import type { Services } from '../services.ts';
import { createApp } from './app.ts';
import { healthRoutes } from './routes/health.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

const health = async (app: { request(path: string): Response | Promise<Response> }) => {
  const res = await app.request('/health');
  return { status: res.status, body: (await res.json()) as unknown };
};

/** The services with a database whose queries do what `execute` says. */
const withDatabase = (execute: () => Promise<unknown>): Services =>
  withProbe({ execute } as unknown as Db);

/** The services with /health's probe (Database.probe) replaced. */
const withProbe = (probe: Db): Services =>
  ({ ...s, database: { ...s.database, probe } }) as Services;

describe('/health', () => {
  it('answers 200 with the database kind while the database answers', async () => {
    expect(await health(createApp(s))).toEqual({
      status: 200,
      body: { status: 'ok', database: s.database.kind },
    });
  });

  it('does not answer 500 for a database that is gone: 503 with a reason, and no error text', async () => {
    // The real driver, PostgreSQL refusing connections (nothing listens on the port).
    const refused = createPgPool('postgres://isoloir@127.0.0.1:1/gone');
    try {
      const gone = withProbe(drizzlePg({ client: refused }) as unknown as Db);
      expect(await health(createApp(gone))).toEqual({
        status: 503,
        body: { status: 'unavailable', reason: 'the database cannot be reached' },
      });
    } finally {
      await refused.end();
    }
  });

  it('does not pass on the driver’s message (it could quote values)', async () => {
    const failing = withDatabase(() =>
      Promise.reject(new Error('connect ECONNREFUSED; Failed query: secret@example.org')),
    );
    const answer = await health(createApp(failing));
    expect(answer.status).toBe(503);
    expect(JSON.stringify(answer.body)).not.toMatch(/ECONNREFUSED|secret|Failed query/);
  });

  it('does not hang on a database that never answers: 503 once its time is up', async () => {
    let pending = 0;
    const silent = withDatabase(() => {
      pending++;
      return new Promise(() => {});
    });
    const started = Date.now();
    const answer = await health(healthRoutes(silent, { timeoutMs: 200 }));
    expect(pending).toBe(1);
    expect(answer).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'the database cannot be reached' },
    });
    // A generous bound: only there to turn a hang into a failure.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 200 again as soon as the database answers again', async () => {
    let up = false;
    const flaky = withDatabase(() =>
      up ? Promise.resolve({ rows: [] }) : Promise.reject(new Error('terminated')),
    );
    const app = createApp(flaky);
    expect((await health(app)).status).toBe(503);
    up = true;
    expect(await health(app)).toEqual({
      status: 200,
      body: { status: 'ok', database: s.database.kind },
    });
  });
});
