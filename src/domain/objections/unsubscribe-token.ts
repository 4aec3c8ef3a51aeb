// The unsubscribe link's token: the message reference (random, 122 bits) and a MAC over it, so a
// token cannot be guessed, forged or edited into another person's. It names a message, and
// through it one recipient; it carries no personal data.
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (key: Buffer, ref: string) =>
  createHmac('sha256', key)
    .update(`unsubscribe:${ref}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');

export const unsubscribeToken = (key: Buffer, messageRef: string) =>
  `${messageRef}.${mac(key, messageRef)}`;

/** The message reference a token names, or undefined when it is not one of ours. */
export function verifyUnsubscribeToken(key: Buffer, token: string): string | undefined {
  const match = /^([0-9a-f]{32})\.([\w-]{22})$/.exec(token);
  if (!match) return undefined;
  const expected = Buffer.from(mac(key, match[1]!));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? match[1]
    : undefined;
}
