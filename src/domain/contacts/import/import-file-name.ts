// An uploaded file's name often carries a person's name ("liste Dupont Marie.csv"): it is stored
// sealed with the organisation's key, bound to its import, and opened only for staff who can
// read the import. Never in the audit log, never in a log line.
import { open, seal } from '../../../crypto/aead.ts';
import type { OrgKeys } from '../../../crypto/org-keys.ts';

const aad = (importId: string) => `isoloir:import-file-name:${importId}`;

export function sealFileName(keys: OrgKeys, importId: string, fileName: string): Buffer {
  return seal(keys.encryption, Buffer.from(fileName, 'utf8'), aad(importId));
}

export function openFileName(keys: OrgKeys, importId: string, sealed: Buffer): string {
  return open(keys.encryption, sealed, aad(importId)).toString('utf8');
}
