// The master key wraps every organisation's data key. It comes from the environment or from a
// key file that only its owner can read; the embedded default generates that file on first start.
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { decodeMasterKey, type Config } from '../config.ts';

export class MasterKeyError extends Error {}

/** The setting a key comes from, for messages: the variable, and the file's path when one is read. */
export function keySource(spec: Config['masterKey'], label = 'master key'): string {
  const name = label === 'audit key' ? 'ISOLOIR_AUDIT_KEY' : 'ISOLOIR_MASTER_KEY';
  if (spec.kind === 'env') return name;
  return spec.generate
    ? `the key file ${spec.path}, used while ${name} and ${name}_FILE are unset`
    : `${name}_FILE=${spec.path}`;
}

/**
 * The value stored to recognise the master key at start: HMAC-SHA256 of a fixed label under the
 * key. It reveals nothing of the key, and no other key gives it.
 */
export function masterKeyCheck(master: Buffer): Buffer {
  return createHmac('sha256', master).update('isoloir master key check v1').digest();
}

/** Loads a 32-byte key (the master key, or the audit key: `label` says which in messages). */
export function loadMasterKey(spec: Config['masterKey'], label = 'master key'): Buffer {
  if (spec.kind === 'env') return spec.key;
  if (!fs.existsSync(spec.path)) {
    if (!spec.generate) {
      throw new MasterKeyError(
        `${label} file ${spec.path} does not exist (${keySource(spec, label)})`,
      );
    }
    if (spec.existingData && fs.existsSync(spec.existingData)) {
      // A new key would not open the stored data keys: the old one was lost or not restored.
      throw new MasterKeyError(
        `${label} file ${spec.path} is missing but the database in ${spec.existingData} exists: restore the key file from your backup (a new key cannot read the stored identifiers)`,
      );
    }
    fs.mkdirSync(path.dirname(spec.path), { recursive: true, mode: 0o700 });
    // 'wx' so that two first starts racing cannot each write a different key.
    try {
      fs.writeFileSync(spec.path, `${randomBytes(32).toString('hex')}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const mode = fs.statSync(spec.path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `${label} file ${spec.path} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${spec.path}`,
    );
  }
  const key = decodeMasterKey(fs.readFileSync(spec.path, 'utf8'));
  if (!key) {
    throw new MasterKeyError(
      `${label} file ${spec.path} must hold 32 bytes as 64 hex digits or base64`,
    );
  }
  return key;
}
