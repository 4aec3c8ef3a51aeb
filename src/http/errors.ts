// The one place where domain errors become HTTP responses: {"error": {"code", "message", "rule"}}.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { domainErrorFromDatabase } from '../db/errors.ts';
import { DomainError, ThrottledError, type ErrorCode } from '../domain/errors.ts';
import { PUBLIC_ERRORS, isPublicPath, publicErrorPage, voterLanguages } from './public-page.ts';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  refused: 422,
  throttled: 429,
};

export function errorBody(
  code: string,
  message: string,
  rule?: string | null,
  violations?: unknown[],
  detail?: { key?: string | undefined; params?: Record<string, string | number> | undefined },
) {
  return {
    error: {
      code,
      // The stable identifier of the message and the values it names (web/i18n/errors.ts says
      // it in the user's language); `message` stays the English text for logs and scripts.
      key: detail?.key ?? `error.${code}`,
      params: detail?.params ?? {},
      message,
      rule: rule ?? null,
      ...(violations && violations.length > 1 ? { violations } : {}),
    },
  };
}

/** The voter-facing message for an error on a public page: its own key when it has a page. */
function publicKey(error: DomainError): string {
  if (error.key && PUBLIC_ERRORS[error.key]) return error.key;
  if (error.code === 'not_found') return 'public.not_found';
  if (error.code === 'throttled') return 'public.throttled';
  return 'public.request_invalid';
}

export function handleError(error: unknown, c: Context, onUnexpected: (error: unknown) => void) {
  error = domainErrorFromDatabase(error) ?? error;
  if (error instanceof DomainError) {
    if (error instanceof ThrottledError) c.header('Retry-After', String(error.retryAfterSeconds));
    // A voter on a public page (unsubscribe link, privacy notice) gets a page, never JSON.
    if (isPublicPath(c.req.path))
      return publicErrorPage(c, STATUS[error.code], publicKey(error), voterLanguages(c));
    return c.json(
      errorBody(error.code, error.message, error.rule, error.violations, error),
      STATUS[error.code],
    );
  }
  onUnexpected(error);
  if (isPublicPath(c.req.path))
    return publicErrorPage(c, 500, 'public.unavailable', voterLanguages(c));
  // The request id matches this answer to the server's 'unexpected error' log line.
  const body = errorBody('internal', 'internal error; the server log has the details');
  const requestId = (c.get as (key: string) => unknown)('requestId');
  return c.json(
    typeof requestId === 'string' ? { error: { ...body.error, requestId } } : body,
    500,
  );
}
