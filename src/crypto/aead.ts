// AES-256-GCM sealing of small values. Layout: version (1 byte) | iv (12) | tag (16) | ciphertext.
// The associated data binds a blob to where it belongs (organisation, row), so a blob copied
// onto another row fails to open instead of silently showing someone else's data.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, blob: Buffer, aad: string): Buffer {
  if (blob.length < 1 + IV_LENGTH + TAG_LENGTH || blob[0] !== VERSION) {
    throw new Error('sealed value is malformed or of an unknown version');
  }
  const iv = blob.subarray(1, 1 + IV_LENGTH);
  const tag = blob.subarray(1 + IV_LENGTH, 1 + IV_LENGTH + TAG_LENGTH);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([
    decipher.update(blob.subarray(1 + IV_LENGTH + TAG_LENGTH)),
    decipher.final(),
  ]);
}
