// Issue 13, item 4: an import whose process died (a crash, a kill, a restart) does not stay
// `running` forever. On PGlite one process at a time opens the database, so every import running
// at open is dead; on PostgreSQL several servers share it, and a stale heartbeat tells.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../../test/factories.ts';
import { ELECTORAL_HEADERS, tempDir, writeCsv } from '../../../../test/files.ts';
import { openTestServices, testDbKind, type TestServices } from '../../../../test/test-db.ts';
import { imports } from '../../../db/schema/index.ts';
import { failAbandonedImports, INTERRUPTED_REASON } from './abandoned-imports.ts';
import { importContacts } from './import-contacts.ts';
import { getImport } from './import-records.ts';

let s: TestServices;
let orgId: string;
let sourceId: string;
const files = tempDir();
const NOW = new Date('2026-11-24T10:00:00Z');

beforeAll(async () => {
  s = await openTestServices({ clock: () => NOW });
  orgId = (await makeOrg(s)).id;
  const election = await makeElection(s, orgId);
  sourceId = (await makeSource(s, orgId, { type: 'electoral_list', electionId: election.id })).id;
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

/** An import row as a process leaves it: `running`, last beat `beatAgo` ago (null: never). */
async function runningImport(beatAgo: string | null): Promise<string> {
  const id = randomUUID();
  await s.db.insert(imports).values({
    id,
    orgId,
    sourceId,
    status: 'running',
    startedBy: 'test',
    heartbeatAt: beatAgo === null ? null : sql`now() - ${beatAgo}::interval`,
  });
  return id;
}

const statusOf = async (id: string) => (await getImport(s.db, { importId: id })).status;

describe(`imports left running by a dead process, on ${testDbKind}`, () => {
  it('a running import whose heartbeat is older than two minutes is marked failed with the reason; one that beat seconds ago stays running (PostgreSQL, several servers)', async () => {
    const dead = await runningImport('5 minutes');
    const alive = await runningImport('3 seconds');
    const result = await failAbandonedImports(s.db, { kind: 'postgres', clock: s.clock });
    expect(result.failed).toContain(dead);
    expect(result.failed).not.toContain(alive);
    const record = await getImport(s.db, { importId: dead });
    expect(record).toMatchObject({
      status: 'failed',
      error: INTERRUPTED_REASON,
      finishedAt: NOW,
      summary: { status: 'failed', error: INTERRUPTED_REASON, importId: dead, read: 0 },
    });
    expect(record.error).toMatch(/^interrupted: .*nothing of the file was stored — run it again$/);
    expect(await statusOf(alive)).toBe('running');
  });

  it('a running import that never beat (left by an earlier version) is marked failed on PostgreSQL', async () => {
    const old = await runningImport(null);
    expect((await failAbandonedImports(s.db, { kind: 'postgres', clock: s.clock })).failed).toEqual(
      [old],
    );
    expect(await statusOf(old)).toBe('failed');
  });

  it('on the embedded database every import running at open is marked failed, whatever its heartbeat (one process at a time opens it)', async () => {
    const a = await runningImport('1 second');
    const b = await runningImport(null);
    const result = await failAbandonedImports(s.db, { kind: 'pglite', clock: s.clock });
    expect(result.failed).toEqual(expect.arrayContaining([a, b]));
    expect(await statusOf(a)).toBe('failed');
    expect(await statusOf(b)).toBe('failed');
  });

  it('finished imports are never touched: done stays done, a failure keeps its own reason', async () => {
    const done = await runningImport('1 hour');
    await s.db.update(imports).set({ status: 'done' }).where(eq(imports.id, done));
    const failed = await runningImport('1 hour');
    await s.db
      .update(imports)
      .set({ status: 'failed', error: 'the file is empty' })
      .where(eq(imports.id, failed));
    for (const kind of ['pglite', 'postgres'] as const) {
      const result = await failAbandonedImports(s.db, { kind, clock: s.clock });
      expect(result.failed).not.toContain(done);
      expect(result.failed).not.toContain(failed);
    }
    expect(await statusOf(done)).toBe('done');
    expect((await getImport(s.db, { importId: failed })).error).toBe('the file is empty');
  });

  it('an import in progress has a fresh heartbeat: a server starting meanwhile on PostgreSQL leaves it running, and it ends done', async () => {
    const file = writeCsv(files.file('liste.csv'), [
      ELECTORAL_HEADERS,
      ...Array.from({ length: 30 }, (_, i) => [
        'MOREAU',
        '',
        `Prénom${i}`,
        'F',
        '01/01/1980',
        '',
        '',
        '',
        String(i + 1),
        'rue Neuve',
        '69003',
        'Lyon',
        '69383',
        '0312',
        '',
      ]),
    ]);
    let sweep: Promise<{ failed: string[] }> | undefined;
    const summary = await importContacts(s.db, {
      keys: s.keys,
      sourceId,
      file,
      actor: 'test',
      clock: s.clock,
      batchSize: 10,
      // Another server starts while this import is between two batches. (Not awaited here: on
      // PGlite the one connection is the import's until it commits.)
      onProgress: () =>
        void (sweep ??= failAbandonedImports(s.db, { kind: 'postgres', clock: s.clock })),
    });
    expect(sweep).toBeDefined();
    expect((await sweep!).failed).not.toContain(summary.importId);
    expect(summary.imported).toBe(30);
    expect(await statusOf(summary.importId)).toBe('done');
  });
});
