// Serves the React web app built by Vite (web/dist): its files as they are, and index.html for
// every other page path so that the app's own router takes over. API, health and public pages
// keep their routes; an unknown /api path stays a JSON 404.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import type { AuthVariables } from './auth.ts';
import { errorBody } from './errors.ts';
import { permit } from './permit.ts';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

// Its security headers (CSP, framing, referrer) are set in app.ts, with Hono's secure-headers.

export function webAppRoutes(s: Services, dist = WEB_DIST) {
  const app = new Hono<{ Variables: AuthVariables }>();
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    app.get('/', permit(s, 'public'), (c) =>
      c.text('The web app is not built: run `npm run build:web` (`npm start` does it).', 503),
    );
    return app;
  }
  let page: string | undefined;
  app.get(
    '*',
    permit(s, 'public'),
    async (c, next) => {
      if (c.req.path === '/api' || c.req.path.startsWith('/api/'))
        return c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404);
      await next();
      // Vite names its bundles by content hash: they never change. Anything else (index.html
      // above all) is checked at each load, so an upgrade never leaves a page on deleted bundles.
      c.res.headers.set(
        'Cache-Control',
        c.req.path.startsWith('/assets/') && c.res.ok
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
    serveStatic({ root: dist }),
    async (c) => {
      page ??= await readFile(index, 'utf8');
      return c.html(page);
    },
  );
  return app;
}
