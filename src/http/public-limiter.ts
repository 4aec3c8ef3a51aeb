// OPT-1 / OPT-2 / SEC-2: the public pages (unsubscribe links, privacy notices) need no account, so
// they are throttled, but the throttle never drops an objection. The token's MAC is checked first
// (one HMAC, no database): a POST to a link that verifies records an objection and is never
// throttled (a replay writes nothing), whoever sends it: behind a reverse proxy every recipient
// shares one address, a mail provider sends RFC 8058 one-clicks for a whole campaign from a few
// servers, and a per-link budget would let whoever holds a forwarded link block its recipient.
// What brute force looks like, links that do not verify, is throttled per client address (the
// peer's socket address, as sign-in does); the pages themselves (GET of a link, /privacy) keep a
// generous per-address limit, and each link's page a per-link one (a scanner or a forwarded
// link fetching it in a loop); past the per-link budget the 429 page still carries the form,
// whose POST is never throttled, so even then the recipient can object. In memory, per server
// process, bounded. Past a budget: 429 with Retry-After and a short page in the voter's language
// (Accept-Language; French and English when it names neither), with its stable code.
// A message's page (`/m/:ref`) counts against the per-address budget; its "stop all messages"
// POST (`/m/<32 hex>/stop`) is an objection and is never throttled.
import type { MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { verifyUnsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import type { Services } from '../services.ts';
import { publicErrorPage, voterLanguages, type PublicLang } from './public-page.ts';
import { clientAddress } from './routes/session.ts';

const WINDOW_MS = 10 * 60_000;
/** Links that do not verify, per window from one address: a mistyped link is retried a few times. */
export const PER_ADDRESS_FORGED = 100;
/** Pages (GET of a link that verifies, privacy notices) per window from one address. */
export const PER_ADDRESS = 2000;
/** Views of one link's page per window, whoever asks (its objection is never throttled). */
export const PER_TOKEN = 60;
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

/** Past the per-link budget the page still carries the form, whose POST is never throttled. */
const CONFIRM = { fr: 'Confirmer le désabonnement', en: 'Confirm unsubscribe' } as const;
const confirmForm = (langs: PublicLang[]) =>
  html`<form method="post">
    <button type="submit">${langs.map((l) => CONFIRM[l]).join(' — ')}</button>
  </form>`;

/** The token of an unsubscribe link's path (`/u/:token`), as the route decodes it. */
function linkToken(path: string): string | undefined {
  const raw = /^\/u\/([^/]+)$/.exec(path)?.[1];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The "stop all messages" button of a message's page (`/m/:ref/stop`, RIGHTS-2, OPT-1). */
const MESSAGE_STOP = /^\/m\/[0-9a-f]{32}\/stop$/;

/** One limiter for every public page of an app. */
export function publicPageLimiter(services: Pick<Services, 'clock' | 'keys'>): MiddlewareHandler {
  const counter = new WindowCounter();
  return async (c, next) => {
    // An objection from a message's page is never dropped either, like a verified link's POST.
    if (c.req.method === 'POST' && MESSAGE_STOP.test(c.req.path)) return next();
    const token = linkToken(c.req.path);
    const verifies =
      token !== undefined &&
      verifyUnsubscribeToken(services.keys.unsubscribeKey(), token) !== undefined;
    // An objection is never dropped: a POST to a link that verifies is not counted.
    if (verifies && c.req.method === 'POST') return next();
    const now = services.clock().getTime();
    const perLink = verifies ? counter.hit(`token:${token}`, PER_TOKEN, now) : 0;
    if (perLink > 0) {
      c.header('Retry-After', String(perLink));
      const langs = voterLanguages(c);
      return publicErrorPage(c, 429, 'public.throttled_link', langs, (l) =>
        l === langs.at(-1) ? confirmForm(langs) : '',
      );
    }
    const wait =
      c.req.path.startsWith('/u/') && !verifies
        ? counter.hit(`forged:${clientAddress(c)}`, PER_ADDRESS_FORGED, now)
        : counter.hit(`addr:${clientAddress(c)}`, PER_ADDRESS, now);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return publicErrorPage(c, 429, 'public.throttled', voterLanguages(c));
    }
    await next();
  };
}
