import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to the embedded database in ./data with a generated key file, on port 8080', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.masterKey).toEqual({
      kind: 'file',
      path: path.resolve('./data/master.key'),
      generate: true,
      existingData: path.resolve('./data/pgdata'),
    });
    expect(config.port).toBe(8080);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' }).port).toBe(8080);
  });

  it('accepts a master key as hex or base64', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ ISOLOIR_MASTER_KEY: hex }).masterKey).toEqual({
      kind: 'env',
      key: Buffer.from(hex, 'hex'),
    });
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ ISOLOIR_MASTER_KEY: b64 }).masterKey).toEqual({
      kind: 'env',
      key: Buffer.alloc(32, 7),
    });
  });

  it('keeps the audit key apart: a generated audit.key embedded, none on PostgreSQL unless set', () => {
    expect(loadConfig({}).auditKey).toEqual({
      kind: 'file',
      path: path.resolve('./data/audit.key'),
      generate: true,
    });
    const pg = { DATABASE_URL: 'postgres://x/y', ISOLOIR_MASTER_KEY: 'ab'.repeat(32) };
    expect(loadConfig(pg).auditKey).toBeUndefined();
    expect(loadConfig({ ...pg, ISOLOIR_AUDIT_KEY: 'cd'.repeat(32) }).auditKey).toEqual({
      kind: 'env',
      key: Buffer.from('cd'.repeat(32), 'hex'),
    });
    expect(() => loadConfig({ ISOLOIR_AUDIT_KEY: 'short' })).toThrow(
      /ISOLOIR_AUDIT_KEY must be 32 bytes/,
    );
  });

  it('waits 30 s for PostgreSQL at start unless told otherwise, and refuses a wait that is not a whole number of seconds', () => {
    expect(loadConfig({}).dbWaitSeconds).toBe(30);
    expect(loadConfig({ ISOLOIR_DB_WAIT_SECONDS: '0' }).dbWaitSeconds).toBe(0);
    expect(loadConfig({ ISOLOIR_DB_WAIT_SECONDS: '120' }).dbWaitSeconds).toBe(120);
    for (const bad of ['soon', '-1', '2.5'])
      expect(() => loadConfig({ ISOLOIR_DB_WAIT_SECONDS: bad })).toThrow(
        /invalid configuration: ISOLOIR_DB_WAIT_SECONDS: /,
      );
  });

  it('fails fast with a fix-it message', () => {
    expect(() => loadConfig({ ISOLOIR_MASTER_KEY: 'short' })).toThrow(/openssl rand -hex 32/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y' })).toThrow(/no master key/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(
      /DATABASE_URL: must start with postgres/,
    );
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ ISOLOIR_MASTER_KEY: 'ab'.repeat(32), ISOLOIR_MASTER_KEY_FILE: '/k' }),
    ).toThrow(/not both/);
  });
});
