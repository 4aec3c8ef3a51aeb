// API bearer tokens. Only a SHA-256 hash is stored; the token itself is shown once, at creation.
// Until staff accounts exist, the first start creates a bootstrap token and prints it once.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { apiTokens } from '../../db/schema/index.ts';

const PREFIX = 'iso_';
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export async function createApiToken(
  db: Db,
  options: { label: string },
): Promise<{ id: string; token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const id = randomUUID();
  await db.insert(apiTokens).values({ id, tokenHash: hashToken(token), label: options.label });
  return { id, token };
}

/** Returns a new token if none exists yet (first start), otherwise nothing. */
export async function ensureBootstrapToken(db: Db): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    // Two servers starting together on one PostgreSQL: one creates the token, the other waits.
    await tx.execute(sql`select pg_advisory_xact_lock(7271130002)`);
    const existing = await tx.select({ id: apiTokens.id }).from(apiTokens).limit(1);
    if (existing.length > 0) return undefined;
    return (await createApiToken(tx, { label: 'bootstrap' })).token;
  });
}

export async function verifyApiToken(
  db: Db,
  token: string,
): Promise<{ id: string; label: string } | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  // Looking up by hash is constant-time with respect to the secret: the hash is what is compared.
  const [row] = await db
    .select({ id: apiTokens.id, label: apiTokens.label })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  return row;
}

export async function revokeApiToken(db: Db, options: { id: string }): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, options.id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}
