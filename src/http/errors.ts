// The one place where domain errors become HTTP responses: {"error": {"code", "message", "rule"}}.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { domainErrorFromDatabase } from '../db/errors.ts';
import { DomainError, ThrottledError, type ErrorCode } from '../domain/errors.ts';

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
) {
  return {
    error: {
      code,
      message,
      rule: rule ?? null,
      ...(violations && violations.length > 1 ? { violations } : {}),
    },
  };
}

export function handleError(error: unknown, c: Context, onUnexpected: (error: unknown) => void) {
  error = domainErrorFromDatabase(error) ?? error;
  if (error instanceof DomainError) {
    if (error instanceof ThrottledError) c.header('Retry-After', String(error.retryAfterSeconds));
    return c.json(
      errorBody(error.code, error.message, error.rule, error.violations),
      STATUS[error.code],
    );
  }
  onUnexpected(error);
  return c.json(errorBody('internal', 'internal error; the server log has the details'), 500);
}
