// The Hono application, without listening: the server mounts it, tests call app.request().
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId, type RequestIdVariables } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { safeErrorDescription } from '../db/errors.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';
import { authenticate, type AuthVariables } from './auth.ts';
import { errorBody, handleError } from './errors.ts';
import { MAX_UPLOAD_BYTES } from './upload.ts';
import { auditRefusedRequest } from './refusal-attempt.ts';
import { assignmentRoutes } from './routes/assignments.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';
import { publicPageLimiter } from './public-limiter.ts';
import { isPublicPath, publicErrorPage, voterLanguages } from './public-page.ts';
import { permit } from './permit.ts';
import type { AuthVariables as PageVariables } from './auth.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { messageApiRoutes, messagePageRoutes } from './routes/message-page.ts';
import { reportApiRoutes, reportPageRoutes } from './routes/reports.ts';
import { rightsPageRoutes } from './routes/rights-pages.ts';
import { rightsRequestRoutes } from './routes/rights-requests.ts';
import { peopleRoutes } from './routes/people.ts';
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

// Headers by kind of page, from Hono's secure-headers (HSTS without includeSubDomains: other
// hosts of the domain are not ours to decide).
const common: NonNullable<Parameters<typeof secureHeaders>[0]> = {
  strictTransportSecurity: 'max-age=15552000',
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  permissionsPolicy: { camera: false, microphone: false, geolocation: false, payment: false },
};
/** The public pages (a recipient's unsubscribe, the privacy notice): no script, no framing (a
 * framed unsubscribe button could be clicked for someone), no referrer leaking the token. */
const publicPageHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
});
/** JSON answers: nothing in them may run or be framed. */
const apiHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});
/** The web app loads only its own files; the email preview is shown in a sandboxed srcdoc frame. */
const webAppHeaders = secureHeaders({
  ...common,
  xFrameOptions: 'SAMEORIGIN',
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    frameSrc: ["'self'"],
    frameAncestors: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
  },
});
const headersFor = (path: string): MiddlewareHandler =>
  isPublicPath(path)
    ? publicPageHeaders
    : path === '/api' || path.startsWith('/api/') || path === '/health'
      ? apiHeaders
      : webAppHeaders;

/** JSON and form bodies; a bigger body is refused before it is read (1 MiB). */
export const MAX_JSON_BYTES = 1024 ** 2;
/** The routes that take a file (multipart): their own, larger cap (upload.ts). */
const FILE_ROUTES = /^\/api\/sources\/[^/]+\/imports(\/preview)?\/?$/;

const tooLarge = (limit: string) => (c: Context) =>
  c.json(
    errorBody('too_large', `the request body is larger than ${limit}`, null, [], {
      key: 'http.body_too_large',
      params: { limit },
    }),
    413,
  );
const jsonLimit = bodyLimit({ maxSize: MAX_JSON_BYTES, onError: tooLarge('1 MiB') });
const fileLimit = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: tooLarge('2 GiB') });

/**
 * Caps every body before it is buffered: a declared Content-Length over the cap is answered 413
 * at once, unread; a chunked body is counted as it streams. An upload is never buffered: with a
 * Content-Length it is checked here, chunked it is counted by upload.ts while it goes to disk.
 */
const bodyCap: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'POST' && FILE_ROUTES.test(c.req.path)) {
    const declared = c.req.raw.headers.has('content-length');
    if (!declared || c.req.raw.headers.has('transfer-encoding')) return next();
    return fileLimit(c, next);
  }
  return jsonLimit(c, next);
};

// An unsubscribe token is a credential tied to one person, and so is a message reference (its
// page can stop every message): never in the log. A reference is 32 hex characters wherever it
// sits (`//m/<ref>`, `/api//public/messages/<ref>`, a path no route serves), so every run of
// 32 hex characters is masked, then the token's MAC after it.
const loggedPath = (path: string) => {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: masked as it is.
  }
  return decoded.replace(/^\/+u\/[^/]+/, '/u/:token').replace(/[0-9a-f]{32}(\.[\w-]*)?/gi, ':ref');
};

/** A client's X-Request-Id is kept if it is short and plain; otherwise a new one is made. */
const REQUEST_ID_MAX = 64;

/** The voter's side's catch-all, registered after its routes: a page in the voter's language. */
const voterSideNotFound = (s: Services) =>
  new Hono<{ Variables: PageVariables }>()
    .all('/m', permit(s, 'public'), (c) =>
      publicErrorPage(c, 404, 'public.not_found', voterLanguages(c)),
    )
    .all('/m/*', permit(s, 'public'), (c) =>
      publicErrorPage(c, 404, 'public.not_found', voterLanguages(c)),
    )
    .all('/r', permit(s, 'public'), (c) =>
      publicErrorPage(c, 404, 'public.not_found', voterLanguages(c)),
    )
    .all('/r/*', permit(s, 'public'), (c) =>
      publicErrorPage(c, 404, 'public.not_found', voterLanguages(c)),
    );

export function createApp(services: Services, logger?: Logger, options: { webDist?: string } = {}) {
  const app = new Hono<{ Variables: RequestIdVariables }>();

  // Every request has an id: in its log line, its X-Request-Id answer header and a 500's body.
  app.use(requestId({ limitLength: REQUEST_ID_MAX }));
  // Request log: method, path (ids only, never personal data), status and time.
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger?.info(
      {
        method: c.req.method,
        path: loggedPath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        requestId: c.var.requestId,
      },
      'request',
    );
  });

  app.use((c, next) => headersFor(c.req.path)(c, next));
  app.use(bodyCap);
  // Throttled per client address; a posted link that verifies never is (OPT-1, SEC-2).
  const publicLimit = publicPageLimiter(services);
  app.use('/u/*', publicLimit);
  app.use('/privacy/*', publicLimit);
  app.use('/m/*', publicLimit);
  app.use('/r/*', publicLimit);
  app.route('/', healthRoutes(services));
  app.route('/', unsubscribeRoutes(services));
  app.route('/', privacyRoutes(services));
  // The voter's side (issue 15): a message's page, its report form, rights requests.
  app.route('/', messagePageRoutes(services));
  app.route('/', reportPageRoutes(services));
  app.route('/', rightsPageRoutes(services));
  // Anything else under /m/ or /r/ (a link cut short, another method): a page, never JSON.
  app.route('/', voterSideNotFound(services));

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
  // Public JSON of the voter's side and the DPO's queue (RIGHTS-1, RIGHTS-2, REP-1), staff's
  // contact search and contact page.
  api.route('/', messageApiRoutes(services));
  api.route('/', reportApiRoutes(services));
  api.route('/', rightsRequestRoutes(services));
  api.route('/', peopleRoutes(services));
  app.route('/api', api);
  app.route('/', webAppRoutes(services, options.webDist));

  app.notFound((c) =>
    c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404),
  );
  app.onError(async (error, c) => {
    // Never the raw error: a database error carries the query's parameters (personal data).
    const unexpected = (e: unknown) =>
      logger?.error(
        {
          error: safeErrorDescription(e),
          path: loggedPath(c.req.path),
          requestId: c.var.requestId,
        },
        'unexpected error',
      );
    // A rule refusal is audited (who tried, which rule), after its own transaction rolled back.
    await auditRefusedRequest(services, c, error).catch(unexpected);
    return handleError(error, c, unexpected);
  });
  return app;
}
