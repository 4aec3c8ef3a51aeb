// Reads a JSON request body, or fails with a 400 that says so.
import type { Context } from 'hono';
import { DomainError } from '../domain/errors.ts';

export async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new DomainError('invalid', 'send the body as JSON with Content-Type: application/json');
  }
  try {
    return await c.req.json();
  } catch {
    throw new DomainError('invalid', 'the request body is not valid JSON');
  }
}
