import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { permit } from '../permit.ts';

/** GET /health: up, and the database answers. No authentication, no data. */
export function healthRoutes(services: Services) {
  return new Hono<{ Variables: AuthVariables }>().get(
    '/health',
    permit(services, 'public'),
    async (c) => {
      await services.db.execute(sql`select 1`);
      return c.json({ status: 'ok', database: services.database.kind });
    },
  );
}
