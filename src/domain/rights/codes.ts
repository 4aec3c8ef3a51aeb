// RIGHTS-1: the one-time code that proves a person holds the email or phone they named, and the
// throttles around asking for one. A code is six digits, kept only as a keyed hash bound to its
// request (a stolen table reveals no code), expires after 30 minutes and is cleared once used.
// The throttles count rows of rights_requests (so they survive restarts), the same way whether or
// not the address is on file, within one organisation: per address (its blind index: the guard
// against code spam) and per client address (a keyed hash, never the address itself). Behind a
// reverse proxy every voter shares one client address, so that budget is generous.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { OrgKeys } from '../../crypto/org-keys.ts';

export const CODE_LIFETIME_MS = 30 * 60_000;
export const MAX_CODE_FAILURES = 5;
export const THROTTLE_WINDOW_MS = 3600_000;
/** Code requests per address per hour (the bar). */
export const MAX_REQUESTS_PER_ADDRESS = 3;
/**
 * Code requests per client address per hour to one organisation, whatever the address asked
 * about. Generous: behind a reverse proxy every voter has the proxy's address, and the
 * per-address budget is what keeps codes from being sent again and again to one person.
 */
export const MAX_REQUESTS_PER_CLIENT = 60;

/** A key of its own for each use, derived from the organisation's blind-index key. */
const subKey = (keys: OrgKeys, label: string) =>
  createHmac('sha256', keys.index).update(label, 'utf8').digest();

/** Six digits, uniformly drawn (leading zeros kept). */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export function codeHash(keys: OrgKeys, requestId: string, code: string): Buffer {
  return createHmac('sha256', subKey(keys, 'isoloir rights-request code v1'))
    .update(`${requestId}\u0000${code}`, 'utf8')
    .digest();
}

export function codeMatches(keys: OrgKeys, requestId: string, code: string, stored: Buffer) {
  const given = codeHash(keys, requestId, code);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function clientHash(keys: OrgKeys, client: string): Buffer {
  return createHmac('sha256', subKey(keys, 'isoloir rights-request client v1'))
    .update(client, 'utf8')
    .digest();
}
