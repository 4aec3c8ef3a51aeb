// Plain-text dumps made by pg_dump: the PostgreSQL client tool for PostgreSQL, and PGlite's own
// pg_dump (WebAssembly, from @electric-sql/pglite-tools) for the embedded database.
import { execFileSync } from 'node:child_process';
import type { PGlite } from '@electric-sql/pglite';
import { pgDump as pgliteDump } from '@electric-sql/pglite-tools/pg_dump';
import type { Db } from '../src/db/open-db.ts';

export async function plainDump(db: Db, databaseUrl: string | undefined): Promise<string> {
  if (databaseUrl) {
    return execFileSync('pg_dump', ['--no-owner', '--format=plain', databaseUrl], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
  }
  // pg_dump changes its session (search_path, a read-only transaction): dump a clone, so the
  // test's own connection is left as it was.
  const clone = await (db as unknown as { $client: PGlite }).$client.clone();
  try {
    return await (await pgliteDump({ pg: clone as PGlite, args: ['--no-owner'] })).text();
  } finally {
    await clone.close();
  }
}
