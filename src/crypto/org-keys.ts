// Envelope encryption: each organisation has its own random data key, stored wrapped by the
// master key. Working keys are derived from it with HKDF (identifiers, blind indexes, suppression
// hashes), so that shredding the data key makes all of them unusable.
import { hkdfSync, randomBytes } from 'node:crypto';
import { open, seal } from './aead.ts';

export type OrgKeys = {
  /** AES-256-GCM key for identifiers. */
  encryption: Buffer;
  /** HMAC-SHA256 key for blind indexes. */
  index: Buffer;
  /** HMAC-SHA256 key for the suppression list (OPT-3): unlike `index`, never joins to contacts. */
  suppression: Buffer;
};

const wrapAad = (orgId: string) => `isoloir:org-key:${orgId}`;

export function newWrappedDataKey(master: Buffer, orgId: string): Buffer {
  return seal(master, randomBytes(32), wrapAad(orgId));
}

export function unwrapOrgKeys(master: Buffer, orgId: string, wrapped: Buffer): OrgKeys {
  let dataKey: Buffer;
  try {
    dataKey = open(master, wrapped, wrapAad(orgId));
  } catch {
    throw new Error(
      `cannot unwrap the data key of organisation ${orgId}: the master key is not the one it was created with`,
    );
  }
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
  return {
    encryption: derive('isoloir identifiers v1'),
    index: derive('isoloir blind index v1'),
    suppression: derive('isoloir suppression v1'),
  };
}
