// B-import / B-import-lite: npm run bench:import -- --rows N --db pglite|postgres
// Generates a synthetic electoral list, imports it, and prints rows/s and peak RSS; on
// PostgreSQL also the rate of a bare client COPY of the same file in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createPostgresDatabase } from '../test/test-db.ts';
import { createServices } from '../src/services.ts';
import { importContacts } from '../src/domain/contacts/import/import-contacts.ts';
import { benchOrganisation } from './setup.ts';
import { HEADERS, writeElectoralList } from './synthetic-electoral-list.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'pglite' },
  },
});
const rows = Number(values.rows);
const kind = values.db === 'postgres' ? 'postgres' : 'pglite';
if (kind === 'postgres' && !process.env.DATABASE_URL) {
  console.error('--db postgres needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-bench-'));
const file = path.join(dir, 'liste.csv');
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

try {
  const g0 = performance.now();
  const { duplicates } = await writeElectoralList(file, rows);
  console.log(
    `generated ${rows} rows (${duplicates} duplicates, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, Windows-1252) in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );

  const database = kind === 'postgres' ? await createPostgresDatabase() : undefined;
  const services = await createServices({
    databaseUrl: database?.url,
    dataDir: path.join(dir, 'data'),
    masterKey: { kind: 'env', key: randomBytes(32) },
  });
  const { election, source: declare } = await benchOrganisation(services);
  const source = await declare('electoral_list', { electionId: election.id });

  peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const summary = await importContacts(services.db, {
    keys: services.keys,
    sourceId: source.id,
    file,
    actor: 'bench',
    clock: services.clock,
  });
  const seconds = (performance.now() - t0) / 1000;
  const rate = rows / seconds;
  console.log(
    JSON.stringify({
      read: summary.read,
      imported: summary.imported,
      merged: summary.merged,
      rejected: summary.rejected,
    }),
  );
  console.log(
    `import (${kind}): ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rate)} rows/s, peak RSS ${Math.round(peakRss / 1e6)} MB`,
  );
  await services.close();

  if (database) {
    // Baseline: the same file through a bare client COPY into an unindexed table.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`create table bare_copy (${HEADERS.map((h) => `"${h}" text`).join(', ')})`);
    const c0 = performance.now();
    await pipeline(
      fs.createReadStream(file),
      client.query(
        copyFrom(
          "copy bare_copy from stdin with (format csv, delimiter ';', header true, encoding 'WIN1252')",
        ),
      ),
    );
    const copySeconds = (performance.now() - c0) / 1000;
    await client.end();
    const copyRate = rows / copySeconds;
    console.log(
      `bare COPY: ${rows} rows in ${copySeconds.toFixed(1)} s = ${Math.round(copyRate)} rows/s; import/COPY = ${(rate / copyRate).toFixed(2)}x`,
    );
    await database.drop();
  }
} finally {
  clearInterval(sampler);
  fs.rmSync(dir, { recursive: true, force: true });
}
