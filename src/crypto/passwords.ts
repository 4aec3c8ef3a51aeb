// Staff passwords: argon2id (the library's default algorithm, OWASP's first choice), with its
// parameters and salt in the encoded hash, so they can be raised later without a migration.
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await verify(encoded, password);
  } catch {
    return false; // a malformed stored hash never lets anyone in
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hash('isoloir decoy password, never valid'));
