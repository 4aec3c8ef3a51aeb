// OPT-1 / SEC-2: the public pages (unsubscribe links, privacy notices) need no account, so they are
// throttled per client address (the peer's socket address, as sign-in does) and, for a link, per
// token: a script cannot hammer one person's link nor sweep guessed ones. In memory, per server
// process, bounded. Past the budget: 429 with Retry-After and a short page in French and English.
import type { MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import type { Clock } from '../domain/validation.ts';
import { page } from './public-page.ts';
import { clientAddress } from './routes/session.ts';

const WINDOW_MS = 10 * 60_000;
/** Requests per window: one link is opened and confirmed a few times at most. */
export const PER_TOKEN = 20;
/** Requests per window from one address, all public pages together. */
export const PER_ADDRESS = 300;
const MAX_KEYS = 20_000;

class WindowCounter {
  readonly #hits = new Map<string, { count: number; resetAt: number }>();

  /** Counts one request; returns the seconds to wait when over `limit`, else 0. */
  hit(key: string, limit: number, now: number): number {
    let entry = this.#hits.get(key);
    if (!entry || entry.resetAt <= now) {
      this.#hits.delete(key);
      // Bounded memory: the oldest entry goes (a Map keeps insertion order).
      if (this.#hits.size >= MAX_KEYS) this.#hits.delete(this.#hits.keys().next().value!);
      entry = { count: 0, resetAt: now + WINDOW_MS };
      this.#hits.set(key, entry);
    }
    entry.count += 1;
    return entry.count > limit ? Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) : 0;
  }
}

const tooMany = html`<h1>Trop de demandes — Too many requests</h1>
  <p lang="fr">Merci de réessayer dans quelques minutes.</p>
  <p lang="en">Please try again in a few minutes.</p>`;

/** One limiter for every public page of an app (per token for /u/:token links). */
export function publicPageLimiter(clock: Clock): MiddlewareHandler {
  const counter = new WindowCounter();
  return async (c, next) => {
    const now = clock().getTime();
    const token = /^\/u\/([^/]+)/.exec(c.req.path)?.[1];
    // Both budgets are counted on every request, so that neither can be spent through the other.
    const waits = [counter.hit(`addr:${clientAddress(c)}`, PER_ADDRESS, now)];
    if (token) waits.push(counter.hit(`token:${token.slice(0, 64)}`, PER_TOKEN, now));
    const wait = Math.max(...waits);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      c.header('Cache-Control', 'no-store');
      return c.html(page('fr', 'Trop de demandes — Too many requests', tooMany), 429);
    }
    await next();
  };
}
