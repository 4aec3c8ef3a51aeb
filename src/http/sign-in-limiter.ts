// SEC-2: a second brake on password guessing, per client address, in memory: it slows one client
// spraying many accounts (the per-account lock in the database cannot see that pattern).
import { ThrottledError } from '../domain/errors.ts';
import type { Clock } from '../domain/validation.ts';

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 30;
const MAX_CLIENTS = 10_000;

export class SignInLimiter {
  readonly #failures = new Map<string, { count: number; resetAt: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  check(client: string) {
    const entry = this.#failures.get(client);
    const now = this.#clock().getTime();
    if (entry && entry.resetAt > now && entry.count >= MAX_FAILURES)
      throw new ThrottledError(Math.ceil((entry.resetAt - now) / 1000));
  }

  fail(client: string) {
    const now = this.#clock().getTime();
    const entry = this.#failures.get(client);
    if (!entry || entry.resetAt <= now) {
      this.#failures.delete(client);
      // Bounded memory under attack: the oldest entry goes (a Map keeps insertion order).
      if (this.#failures.size >= MAX_CLIENTS)
        this.#failures.delete(this.#failures.keys().next().value!);
      this.#failures.set(client, { count: 1, resetAt: now + WINDOW_MS });
    } else entry.count += 1;
  }
}
