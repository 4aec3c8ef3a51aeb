// Messages per minute per sender address, in this process (a token bucket refilled continuously).
// Several dispatcher processes each apply the limit; divide it among them if that matters.
import type { Clock } from '../domain/validation.ts';

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number; perMinute: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  #bucket(sender: string, perMinute: number) {
    const now = this.#clock().getTime();
    let b = this.#buckets.get(sender);
    if (!b || b.perMinute !== perMinute) {
      b = { tokens: perMinute, at: now, perMinute };
      this.#buckets.set(sender, b);
    }
    b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
    b.at = now;
    return b;
  }

  /** How many messages this sender may send now (Infinity without a limit). */
  allowance(sender: string, perMinute: number): number {
    if (perMinute <= 0) return Infinity;
    return Math.floor(this.#bucket(sender, perMinute).tokens);
  }

  take(sender: string, count: number) {
    const b = this.#buckets.get(sender);
    if (b) b.tokens -= count;
  }
}
