// Until staff accounts exist, every /api route needs a bearer token (the bootstrap token
// printed at first start, or one made with `isoloir token create`).
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/open-db.ts';
import { verifyApiToken } from '../domain/access/api-tokens.ts';
import { errorBody } from './errors.ts';

export type AuthVariables = { actor: string };

export function requireToken(db: Db): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match ? await verifyApiToken(db, match[1]!) : undefined;
    if (!token) {
      c.header('WWW-Authenticate', 'Bearer realm="isoloir"');
      return c.json(
        errorBody(
          'unauthenticated',
          'a valid API token is required: send Authorization: Bearer <token>',
        ),
        401,
      );
    }
    c.set('actor', `token:${token.id}`);
    await next();
  };
}
