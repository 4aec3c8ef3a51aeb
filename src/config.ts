// Every setting Isoloir reads, parsed and validated once at boot. Nothing else reads
// process.env: the rest of the code receives a Config (or a piece of it) as an argument.
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './domain/contacts/import/limits.ts';

export type Config = {
  /** PostgreSQL connection string; unset means the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** How long the server waits for PostgreSQL at start before exiting 6; 0: not at all. */
  dbWaitSeconds: number;
  /** Directory of the embedded database, its lock and its generated master key file. */
  dataDir: string;
  /** Master key source: raw key from the environment, or a key file path. */
  masterKey:
    | { kind: 'env'; key: Buffer }
    | {
        kind: 'file';
        path: string;
        /** Generate the file if missing, unless `existingData` exists (then the key was lost). */
        generate: boolean;
        existingData?: string;
      };
  /** Key signing audit checkpoints (SEC-2), kept apart from the master key; none: no checkpoints. */
  auditKey: Config['masterKey'] | undefined;
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Outgoing email: SMTP when a URL is set, otherwise the log channel (nothing leaves). */
  email: {
    smtpUrl: string | undefined;
    /** DKIM signing (RSA-2048 PEM key file); all three or none. */
    dkim: { domain: string; selector: string; keyFile: string } | undefined;
    /** Base of the links in messages (unsubscribe, privacy notice). */
    publicUrl: string;
    /** How long a claimed message may stay unconfirmed before it is reported `unknown`. */
    leaseSeconds: number;
    /** Replies to the mailto: unsubscribe address are processed (the inbound listener is
     * configured): only then do messages offer that address (OPT-1). */
    unsubscribeByReply?: boolean;
  };
  /** Inbound SMTP for replies to the mailto: unsubscribe address (OPT-1); unset: not started. */
  inboundSmtp: { port: number; host: string } | undefined;
  /** Imports: what a file may hold or inflate to, and where uploads wait while they are read. */
  imports: {
    limits: ImportLimits;
    /** Private directory (0700) for uploaded files while an import reads them; swept at start. */
    spoolDir: string;
  };
  /** Settings that look careless but do not stop the start (see docs): printed once on stderr. */
  warnings: string[];
};

export class ConfigError extends Error {}

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  ISOLOIR_DATA_DIR: z.string().trim().min(1).default('./data'),
  ISOLOIR_MASTER_KEY: z.string().trim().min(1).optional(),
  ISOLOIR_MASTER_KEY_FILE: z.string().trim().min(1).optional(),
  ISOLOIR_AUDIT_KEY: z.string().trim().min(1).optional(),
  ISOLOIR_AUDIT_KEY_FILE: z.string().trim().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  ISOLOIR_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  ISOLOIR_SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  ISOLOIR_DKIM_DOMAIN: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain name')
    .optional(),
  ISOLOIR_DKIM_SELECTOR: z
    .string()
    .trim()
    .regex(/^[a-z0-9._-]+$/i, 'must be a DNS label')
    .optional(),
  ISOLOIR_DKIM_KEY_FILE: z.string().trim().min(1).optional(),
  ISOLOIR_DISPATCH_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  ISOLOIR_DB_WAIT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
  ISOLOIR_INBOUND_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  ISOLOIR_INBOUND_SMTP_HOST: z.string().trim().min(1).optional(),
  ISOLOIR_IMPORT_MAX_CELL_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(DEFAULT_IMPORT_LIMITS.maxCellBytes),
  ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(4 * 1024 ** 3)
    .default(DEFAULT_IMPORT_LIMITS.maxZipEntryBytes),
  ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(2 * 1024 ** 3)
    .default(DEFAULT_IMPORT_LIMITS.maxXlsxTextBytes),
  ISOLOIR_SPOOL_DIR: z.string().trim().min(1).optional(),
  ISOLOIR_PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL, e.g. https://isoloir.example.org')
    .optional(),
});

/** ISOLOIR_ variables read by the development and test tooling, not by Isoloir itself. */
const TOOLING_SETTINGS = ['ISOLOIR_TEST_DB', 'ISOLOIR_DEV_API', 'ISOLOIR_CHROMIUM'];

/** Every ISOLOIR_ variable that means something. */
export const KNOWN_SETTINGS: readonly string[] = [
  ...Object.keys(schema.shape).filter((name) => name.startsWith('ISOLOIR_')),
  ...TOOLING_SETTINGS,
];

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/** The known setting closest to a misspelt one, if any is close enough to be the one meant. */
export function closestSetting(name: string): string | undefined {
  const upper = name.toUpperCase();
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_SETTINGS) {
    const distance = editDistance(upper, known);
    if (!best || distance < best.distance) best = { name: known, distance };
  }
  const suffix = upper.length - 'ISOLOIR_'.length;
  return best && best.distance <= Math.max(2, Math.floor(suffix / 3)) ? best.name : undefined;
}

/** A warning for every ISOLOIR_ variable that is not a setting: a typo silently changes nothing. */
function unknownSettings(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((name) => /^ISOLOIR_/i.test(name) && !KNOWN_SETTINGS.includes(name))
    .sort()
    .map((name) => {
      const meant = closestSetting(name);
      return `${name} is not a setting Isoloir knows; ${meant ? `did you mean ${meant}?` : 'see .env.example for the settings'}`;
    });
}

/** Refuses an SMTP URL without a host (smtp:// or smtp://:25): nothing could be sent. */
function checkSmtpUrl(url: string | undefined): void {
  if (url === undefined) return;
  let host = '';
  try {
    host = new URL(url).hostname;
  } catch {
    // An empty host with a port ("smtp://:25") does not even parse.
  }
  // The URL may hold a password: it is never repeated in the message.
  if (!host)
    throw new ConfigError(
      'ISOLOIR_SMTP_URL has no host: write smtp://HOST:PORT or smtps://USER:PASSWORD@HOST:465 (e.g. smtp://mail.example.org:587)',
    );
}

/** Refuses, at start rather than at the first send, a DKIM key file that would sign badly or leak. */
export function checkDkimKeyFile(file: string): void {
  const name = 'ISOLOIR_DKIM_KEY_FILE';
  let mode: number;
  let pem: string;
  try {
    mode = fs.statSync(file).mode & 0o777;
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`${name}: cannot read the DKIM key file ${file} (${code})`);
  }
  if ((mode & 0o077) !== 0)
    throw new ConfigError(
      `${name}: the DKIM key file ${file} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${file}`,
    );
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(`${name}: ${file} does not hold a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new ConfigError(
      `${name}: ${file} is a ${key.asymmetricKeyType ?? 'non-RSA'} key; DKIM signing here needs an RSA key of 2048 bits or more (openssl genrsa -out dkim.pem 2048)`,
    );
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048)
    throw new ConfigError(
      `${name}: ${file} is a ${bits}-bit RSA key; use 2048 bits or more (RFC 8301; receivers treat shorter signatures as absent): openssl genrsa -out dkim.pem 2048`,
    );
}

/** Decodes a 32-byte key written as 64 hex digits or as base64. */
export function decodeMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed, 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable in a .env file means "unset", not "empty string".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')} (see .env.example)`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.ISOLOIR_DATA_DIR);

  const masterKey =
    keySetting('ISOLOIR_MASTER_KEY', e.ISOLOIR_MASTER_KEY, e.ISOLOIR_MASTER_KEY_FILE) ??
    (!e.DATABASE_URL
      ? // Embedded default: a key file generated beside the data, readable by its owner only.
        {
          kind: 'file' as const,
          path: path.join(dataDir, 'master.key'),
          generate: true,
          existingData: path.join(dataDir, 'pgdata'),
        }
      : undefined);
  if (!masterKey) {
    throw new ConfigError(
      'DATABASE_URL is set but no master key is: set ISOLOIR_MASTER_KEY (openssl rand -hex 32) or ISOLOIR_MASTER_KEY_FILE (a 0600 file holding such a key)',
    );
  }
  const auditKey =
    keySetting('ISOLOIR_AUDIT_KEY', e.ISOLOIR_AUDIT_KEY, e.ISOLOIR_AUDIT_KEY_FILE) ??
    (!e.DATABASE_URL
      ? { kind: 'file' as const, path: path.join(dataDir, 'audit.key'), generate: true }
      : undefined);

  const dkimParts = [e.ISOLOIR_DKIM_DOMAIN, e.ISOLOIR_DKIM_SELECTOR, e.ISOLOIR_DKIM_KEY_FILE];
  if (dkimParts.some(Boolean) && !dkimParts.every(Boolean))
    throw new ConfigError(
      'DKIM needs ISOLOIR_DKIM_DOMAIN, ISOLOIR_DKIM_SELECTOR and ISOLOIR_DKIM_KEY_FILE together',
    );
  checkSmtpUrl(e.ISOLOIR_SMTP_URL);
  if (e.ISOLOIR_DKIM_KEY_FILE) checkDkimKeyFile(path.resolve(e.ISOLOIR_DKIM_KEY_FILE));
  const warnings = unknownSettings(env);
  if (e.ISOLOIR_DKIM_DOMAIN && !e.ISOLOIR_SMTP_URL)
    warnings.push(
      'ISOLOIR_DKIM_DOMAIN, ISOLOIR_DKIM_SELECTOR and ISOLOIR_DKIM_KEY_FILE are set but ISOLOIR_SMTP_URL is not: messages go to the log channel and DKIM does nothing; set ISOLOIR_SMTP_URL to send',
    );

  return {
    databaseUrl: e.DATABASE_URL,
    dbWaitSeconds: e.ISOLOIR_DB_WAIT_SECONDS,
    dataDir,
    masterKey,
    auditKey,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.ISOLOIR_LOG_LEVEL,
    email: {
      smtpUrl: e.ISOLOIR_SMTP_URL,
      dkim: e.ISOLOIR_DKIM_DOMAIN
        ? {
            domain: e.ISOLOIR_DKIM_DOMAIN.toLowerCase(),
            selector: e.ISOLOIR_DKIM_SELECTOR!,
            keyFile: path.resolve(e.ISOLOIR_DKIM_KEY_FILE!),
          }
        : undefined,
      leaseSeconds: e.ISOLOIR_DISPATCH_LEASE_SECONDS,
      publicUrl: (e.ISOLOIR_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
      unsubscribeByReply: e.ISOLOIR_INBOUND_SMTP_PORT !== undefined,
    },
    inboundSmtp: e.ISOLOIR_INBOUND_SMTP_PORT
      ? { port: e.ISOLOIR_INBOUND_SMTP_PORT, host: e.ISOLOIR_INBOUND_SMTP_HOST ?? e.HOST }
      : undefined,
    imports: {
      limits: {
        maxCellBytes: e.ISOLOIR_IMPORT_MAX_CELL_BYTES,
        maxZipEntryBytes: e.ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES,
        maxXlsxTextBytes: e.ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES,
      },
      spoolDir: path.resolve(e.ISOLOIR_SPOOL_DIR ?? path.join(dataDir, 'spool')),
    },
    warnings,
  };
}

/** A key given as NAME (hex or base64) or NAME_FILE (a path); undefined when neither is set. */
function keySetting(
  name: string,
  value: string | undefined,
  file: string | undefined,
): Config['masterKey'] | undefined {
  if (value && file) {
    throw new ConfigError(`set ${name} or ${name}_FILE, not both (they could disagree)`);
  }
  if (value) {
    const key = decodeMasterKey(value);
    if (!key) {
      throw new ConfigError(
        `${name} must be 32 bytes as 64 hex digits or base64; generate one with: openssl rand -hex 32`,
      );
    }
    return { kind: 'env', key };
  }
  return file ? { kind: 'file', path: path.resolve(file), generate: false } : undefined;
}
