// Placeholder (issue 15 scaffold): filled by its owner.
import { Hono } from 'hono';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';

export function messagePageRoutes(_s: Services) {
  return new Hono<{ Variables: AuthVariables }>();
}

export function messageApiRoutes(_s: Services) {
  return new Hono<{ Variables: AuthVariables }>();
}
