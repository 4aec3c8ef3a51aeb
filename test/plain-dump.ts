// A plain-text dump of every row of every table: pg_dump for PostgreSQL, and for PGlite
// (which has no pg_dump of its own here) each table's rows as text through the same connection.
import { execFileSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/open-db.ts';

export function pgDump(url: string): string {
  return execFileSync('pg_dump', ['--no-owner', '--format=plain', url], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

export async function rowsDump(db: Db): Promise<string> {
  const tables = (await db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )) as unknown as { rows: { table_name: string }[] };
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = (await db.execute(
      sql`select t::text as line from ${sql.identifier(table_name)} t`,
    )) as unknown as { rows: { line: string }[] };
    parts.push(`-- ${table_name}`, ...rows.rows.map((r) => r.line));
  }
  return parts.join('\n');
}
