// The Hono application, without listening: the server mounts it, tests call app.request().
import { Hono, type MiddlewareHandler } from 'hono';
import { safeErrorDescription } from '../db/errors.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';
import { authenticate, type AuthVariables } from './auth.ts';
import { errorBody, handleError } from './errors.ts';
import { auditRefusedRequest } from './refusal-attempt.ts';
import { assignmentRoutes } from './routes/assignments.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';
import { publicPageLimiter } from './public-limiter.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { setupRoutes } from './routes/setup.ts';
import { webAppRoutes } from './web-app.ts';
import { auditRoutes } from './routes/audit.ts';
import { contactRoutes } from './routes/contacts.ts';
import { exportRoutes } from './routes/exports.ts';
import { sessionRoutes } from './routes/session.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { userRoutes } from './routes/users.ts';
import { electionRoutes } from './routes/elections.ts';
import { healthRoutes } from './routes/health.ts';
import { importRoutes } from './routes/imports.ts';
import { segmentRoutes } from './routes/segments.ts';
import { organisationRoutes } from './routes/organisations.ts';
import { sourceRoutes } from './routes/sources.ts';

const publicPageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.res.headers.set('X-Frame-Options', 'DENY');
  c.res.headers.set('Referrer-Policy', 'no-referrer');
};

export function createApp(services: Services, logger?: Logger, options: { webDist?: string } = {}) {
  const app = new Hono();

  // Request log: method, path (ids only, never personal data), status and time.
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger?.info(
      {
        method: c.req.method,
        // An unsubscribe token is a credential tied to one person: never in the log.
        path: c.req.path.replace(/^\/u\/[^/]+/, '/u/:token'),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  // The public pages (a recipient's unsubscribe, the privacy notice): no script, no framing (a
  // framed unsubscribe button could be clicked for someone), no referrer leaking the token.
  app.use('/u/*', publicPageHeaders);
  app.use('/privacy/*', publicPageHeaders);
  // Throttled per client address; a posted link that verifies never is (OPT-1, SEC-2).
  const publicLimit = publicPageLimiter(services);
  app.use('/u/*', publicLimit);
  app.use('/privacy/*', publicLimit);
  app.route('/', healthRoutes(services));
  app.route('/', unsubscribeRoutes(services));
  app.route('/', privacyRoutes(services));

  const api = new Hono<{ Variables: AuthVariables }>();
  // Who is calling; each route then declares what it needs (permit.ts, SEC-1).
  api.use(authenticate(services));
  api.route('/', setupRoutes(services));
  api.route('/', sessionRoutes(services));
  api.route('/', userRoutes(services));
  api.route('/', tokenRoutes(services));
  api.route('/', auditRoutes(services));
  api.route('/', organisationRoutes(services));
  api.route('/', electionRoutes(services));
  api.route('/', sourceRoutes(services));
  api.route('/', contactRoutes(services));
  api.route('/', importRoutes(services));
  api.route('/', segmentRoutes(services));
  api.route('/', assignmentRoutes(services));
  api.route('/', exportRoutes(services));
  api.route('/', campaignRoutes(services));
  app.route('/api', api);
  app.route('/', webAppRoutes(services, options.webDist));

  app.notFound((c) =>
    c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404),
  );
  app.onError(async (error, c) => {
    // Never the raw error: a database error carries the query's parameters (personal data).
    const unexpected = (e: unknown) =>
      logger?.error({ error: safeErrorDescription(e), path: c.req.path }, 'unexpected error');
    // A rule refusal is audited (who tried, which rule), after its own transaction rolled back.
    await auditRefusedRequest(services, c, error).catch(unexpected);
    return handleError(error, c, unexpected);
  });
  return app;
}
