// Reads a JSON request body, or fails with a 400 that says so.
import type { Context } from 'hono';
import { DomainError } from '../domain/errors.ts';

export async function jsonBody(c: Context): Promise<unknown> {
  // The media type itself, not a substring: `text/plain; x=application/json` is what a cross-site
  // form or no-cors fetch can send without a preflight, and must not pass for JSON.
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw DomainError.keyed(
      'invalid',
      'request.not_json_type',
      'send the body as JSON with Content-Type: application/json',
    );
  }
  try {
    return await c.req.json();
  } catch {
    throw DomainError.keyed(
      'invalid',
      'request.invalid_json',
      'the request body is not valid JSON',
    );
  }
}
