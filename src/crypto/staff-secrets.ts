// Secrets of staff accounts (the TOTP seed) are sealed with a key derived from the master key,
// apart from any organisation's data key: shredding an organisation does not lock its staff out.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';

/** A key for one purpose, derived from the master key (HKDF-SHA256). */
export const derivedKey = (master: Buffer, purpose: string) =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), purpose, 32));

export const staffSecretKey = (master: Buffer) => derivedKey(master, 'isoloir staff secrets v1');

/** Session tokens, API tokens and recovery codes have 128+ bits: SHA-256 is enough to store them. */
export const secretHash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

export const newSecret = (prefix: string) => prefix + randomBytes(32).toString('base64url');
