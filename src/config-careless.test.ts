// Careless settings are caught at start: a typo in a variable name, an SMTP URL without a host,
// a weak or exposed DKIM key, DKIM without SMTP. Refusals name the variable (ConfigError, exit 6).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { describeError } from './cli/errors.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-careless-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, pem: string, mode = 0o600): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pem, { mode });
  fs.chmodSync(file, mode);
  return file;
}
const rsaPem = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
const key2048 = keyFile('dkim-2048.pem', rsaPem(2048));

const dkim = (keyFile: string) => ({
  ISOLOIR_SMTP_URL: 'smtp://mail.example.org:587',
  ISOLOIR_DKIM_DOMAIN: 'parti.example',
  ISOLOIR_DKIM_SELECTOR: 'isoloir',
  ISOLOIR_DKIM_KEY_FILE: keyFile,
});

/** The refusal loadConfig throws, as the CLI prints it. */
function refusal(env: NodeJS.ProcessEnv): { line: string; exitCode: number } {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return describeError(error);
  }
  throw new Error('the configuration was accepted');
}

describe('careless settings are caught at start', () => {
  it('a misspelt ISOLOIR_ variable is warned about with the setting meant', () => {
    const config = loadConfig({ ISOLOIR_SMPT_URL: 'smtp://mail.example.org' });
    expect(config.warnings).toEqual([
      'ISOLOIR_SMPT_URL is not a setting Isoloir knows; did you mean ISOLOIR_SMTP_URL?',
    ]);
    expect(config.email.smtpUrl).toBeUndefined();
    expect(loadConfig({ isoloir_data_dir: '/x' }).warnings[0]).toMatch(
      /did you mean ISOLOIR_DATA_DIR\?/,
    );
    expect(loadConfig({ ISOLOIR_MASTERKEY_FILE: '/k' }).warnings[0]).toMatch(
      /did you mean ISOLOIR_MASTER_KEY_FILE\?/,
    );
  });

  it('an ISOLOIR_ variable far from every setting is still warned about', () => {
    expect(loadConfig({ ISOLOIR_COLOUR_SCHEME: 'dark' }).warnings).toEqual([
      'ISOLOIR_COLOUR_SCHEME is not a setting Isoloir knows; see .env.example for the settings',
    ]);
  });

  it('known settings and the test tooling’s own variables raise no warning', () => {
    const config = loadConfig({
      ISOLOIR_DATA_DIR: dir,
      ISOLOIR_TEST_DB: 'postgres',
      ISOLOIR_DEV_API: 'http://127.0.0.1:8080',
      ISOLOIR_CHROMIUM: '/usr/bin/chromium',
      ISOLOIR_IMPORT_MAX_CELL_BYTES: '2048',
      ISOLOIR_SPOOL_DIR: dir,
      PATH: '/usr/bin',
    });
    expect(config.warnings).toEqual([]);
  });

  it('an SMTP URL without a host is refused, naming ISOLOIR_SMTP_URL and not repeating it', () => {
    for (const url of ['smtp://', 'smtp://:25', 'smtps://user:secret@:465']) {
      const { line, exitCode } = refusal({ ISOLOIR_SMTP_URL: url });
      expect(exitCode).toBe(6);
      expect(line).toMatch(/ISOLOIR_SMTP_URL has no host/);
      expect(line).not.toContain('secret');
    }
    expect(loadConfig({ ISOLOIR_SMTP_URL: 'smtp://mail.example.org:587' }).email.smtpUrl).toBe(
      'smtp://mail.example.org:587',
    );
  });

  it('a DKIM key under 2048 bits is refused at start, not at the first send', () => {
    const weak = keyFile('dkim-1024.pem', rsaPem(1024));
    const { line, exitCode } = refusal(dkim(weak));
    expect(exitCode).toBe(6);
    expect(line).toMatch(/ISOLOIR_DKIM_KEY_FILE: .* is a 1024-bit RSA key; use 2048 bits or more/);
    expect(loadConfig(dkim(key2048)).email.dkim?.keyFile).toBe(key2048);
  });

  it('a DKIM key file readable by others is refused like the master key file', () => {
    const exposed = keyFile('dkim-exposed.pem', fs.readFileSync(key2048, 'utf8'), 0o644);
    const { line, exitCode } = refusal(dkim(exposed));
    expect(exitCode).toBe(6);
    expect(line).toMatch(
      /ISOLOIR_DKIM_KEY_FILE: .* is readable by others \(mode 644\); run: chmod 600/,
    );
    const group = keyFile('dkim-group.pem', fs.readFileSync(key2048, 'utf8'), 0o640);
    expect(refusal(dkim(group)).line).toMatch(/readable by others \(mode 640\)/);
  });

  it('a missing DKIM key file, or one that holds no private key, is refused', () => {
    expect(refusal(dkim(path.join(dir, 'nowhere.pem'))).line).toMatch(
      /ISOLOIR_DKIM_KEY_FILE: cannot read the DKIM key file .*nowhere\.pem \(ENOENT\)/,
    );
    const junk = keyFile('junk.pem', 'not a key\n');
    expect(refusal(dkim(junk)).line).toMatch(
      /ISOLOIR_DKIM_KEY_FILE: .* does not hold a PEM private key/,
    );
    const ed = keyFile(
      'ed25519.pem',
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    );
    expect(refusal(dkim(ed)).line).toMatch(/ISOLOIR_DKIM_KEY_FILE: .* is a ed25519 key; .* RSA/);
  });

  it('DKIM without SMTP is warned about: the log channel signs nothing', () => {
    const { ISOLOIR_SMTP_URL: _unused, ...withoutSmtp } = dkim(key2048);
    const config = loadConfig(withoutSmtp);
    expect(config.warnings).toEqual([
      expect.stringMatching(/ISOLOIR_DKIM_.* set but ISOLOIR_SMTP_URL is not: .*DKIM does nothing/),
    ]);
    expect(loadConfig(dkim(key2048)).warnings).toEqual([]);
  });
});
