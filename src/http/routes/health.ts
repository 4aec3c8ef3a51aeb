import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { permit } from '../permit.ts';

/** How long /health gives PostgreSQL to answer before it says it cannot be reached. */
export const HEALTH_TIMEOUT_MS = 2000;
/**
 * The embedded database is in this process: it cannot be out of reach, only closed (the query
 * fails at once) or busy with a transaction (an import's batch), which is not an outage.
 */
const EMBEDDED_TIMEOUT_MS = 10_000;

/** The 503 body: a short reason, never the driver's error (it could quote values). */
export const UNAVAILABLE = { status: 'unavailable', reason: 'the database cannot be reached' };

/** Whether a trivial query answers within `ms`; never throws, never waits longer. */
export async function databaseAnswers(db: Db, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  // A query still pending when time is up settles later, unobserved: its rejection is caught.
  const query = Promise.resolve()
    .then(() => db.execute(sql`select 1`))
    .then(
      () => true,
      () => false,
    );
  try {
    return await Promise.race([query, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /health: up, and the database answers (200). While the database is away (an outage, a
 * restart, a failover) 503 with the reason, within HEALTH_TIMEOUT_MS: a load balancer or a
 * supervisor sees it, and the server goes on (it resumes by itself). No authentication, no data.
 */
export function healthRoutes(services: Services, options: { timeoutMs?: number } = {}) {
  return new Hono<{ Variables: AuthVariables }>().get(
    '/health',
    permit(services, 'public'),
    async (c) => {
      const ms =
        options.timeoutMs ??
        (services.database.kind === 'pglite' ? EMBEDDED_TIMEOUT_MS : HEALTH_TIMEOUT_MS);
      // Its own connection on PostgreSQL (Database.probe): a busy main pool is not an outage.
      if (!(await databaseAnswers(services.database.probe, ms))) return c.json(UNAVAILABLE, 503);
      return c.json({ status: 'ok', database: services.database.kind });
    },
  );
}
