import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, seal } from './aead.ts';
import { blindIndex, normaliseName } from './blind-index.ts';
import { loadMasterKey } from './master-key.ts';
import { newWrappedDataKey, unwrapOrgKeys } from './org-keys.ts';

describe('envelope encryption', () => {
  it('opens what it sealed, and refuses a blob moved to another row', () => {
    const key = randomBytes(32);
    const blob = seal(key, Buffer.from('Zoé'), 'row-1');
    expect(open(key, blob, 'row-1').toString()).toBe('Zoé');
    expect(() => open(key, blob, 'row-2')).toThrow();
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => open(key, tampered, 'row-1')).toThrow();
  });

  it('derives different keys for each organisation, and only with the right master key', () => {
    const master = randomBytes(32);
    const a = unwrapOrgKeys(master, 'org-a', newWrappedDataKey(master, 'org-a'));
    const b = unwrapOrgKeys(master, 'org-b', newWrappedDataKey(master, 'org-b'));
    expect(a.encryption.equals(b.encryption)).toBe(false);
    expect(a.encryption.equals(a.index)).toBe(false);
    expect(() =>
      unwrapOrgKeys(randomBytes(32), 'org-a', newWrappedDataKey(master, 'org-a')),
    ).toThrow(/master key/);
  });

  it('normalises names before indexing so that spelling variants match', () => {
    expect(normaliseName("  Éloïse-Marie  D'Aubigné ")).toBe('eloise marie d aubigne');
    const key = randomBytes(32);
    expect(blindIndex(key, 'email', 'a@b.fr').equals(blindIndex(key, 'phone', 'a@b.fr'))).toBe(
      false,
    );
  });
});

describe('master key file', () => {
  it('is generated once with mode 0600 and reused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-key-'));
    const spec = { kind: 'file' as const, path: path.join(dir, 'master.key'), generate: true };
    const first = loadMasterKey(spec);
    expect(fs.statSync(spec.path).mode & 0o777).toBe(0o600);
    expect(loadMasterKey(spec).equals(first)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });

  it('is not silently replaced when lost while the database remains', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-key-'));
    fs.mkdirSync(path.join(dir, 'pgdata'));
    const spec = {
      kind: 'file' as const,
      path: path.join(dir, 'master.key'),
      generate: true,
      existingData: path.join(dir, 'pgdata'),
    };
    expect(() => loadMasterKey(spec)).toThrow(
      /missing but the database .* exists: restore the key file from your backup/,
    );
    expect(fs.existsSync(spec.path)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  it('is refused when others can read it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-key-'));
    const file = path.join(dir, 'master.key');
    fs.writeFileSync(file, 'ab'.repeat(32), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(() => loadMasterKey({ kind: 'file', path: file, generate: false })).toThrow(/chmod 600/);
    fs.rmSync(dir, { recursive: true });
  });
});
