// Issue 13, item 4 (follow-up): on PostgreSQL a server restarted within two minutes of a crash
// finds the dead import's beat still fresh at start; the server sweeps again periodically, so the
// import does not stay `running` until another start. The sweep runs on both databases' SQL (the
// stale-beat rule is PostgreSQL's), with a short interval instead of the minute.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../../test/factories.ts';
import { openTestServices, testDbKind, type TestServices } from '../../../../test/test-db.ts';
import type { Db } from '../../../db/open-db.ts';
import { imports } from '../../../db/schema/index.ts';
import { INTERRUPTED_REASON } from './abandoned-imports.ts';
import { startAbandonedSweeper } from './abandoned-sweeper.ts';
import { getImport } from './import-records.ts';

let s: TestServices;
let orgId: string;
let sourceId: string;

beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
  const election = await makeElection(s, orgId);
  sourceId = (await makeSource(s, orgId, { type: 'electoral_list', electionId: election.id })).id;
});
afterAll(() => s.dispose());

async function runningImport(beatAgo: string): Promise<string> {
  const id = randomUUID();
  await s.db.insert(imports).values({
    id,
    orgId,
    sourceId,
    status: 'running',
    startedBy: 'test',
    heartbeatAt: sql`now() - ${beatAgo}::interval`,
  });
  return id;
}

const statusOf = async (id: string) => (await getImport(s.db, { importId: id })).status;
const logger = () => {
  const lines: string[] = [];
  return {
    lines,
    warn: (fields: Record<string, unknown>, message: string) =>
      lines.push(JSON.stringify({ fields, message })),
    error: (fields: Record<string, unknown>, message: string) =>
      lines.push(JSON.stringify({ fields, message })),
  };
};

describe(`the periodic sweep of abandoned imports, on ${testDbKind}`, () => {
  it('an import whose process died after the server started is marked failed by a later sweep, without another start (PostgreSQL)', async () => {
    const log = logger();
    const sweeper = startAbandonedSweeper(s.db, {
      kind: 'postgres',
      clock: s.clock,
      logger: log,
      intervalMs: 20,
    });
    try {
      // Left by a process that died after this server's start-up sweep.
      const dead = await runningImport('5 minutes');
      const alive = await runningImport('2 seconds');
      await expect.poll(() => statusOf(dead), { timeout: 10_000, interval: 20 }).toBe('failed');
      expect((await getImport(s.db, { importId: dead })).error).toBe(INTERRUPTED_REASON);
      expect(await statusOf(alive)).toBe('running');
      expect(log.lines.join('\n')).toContain(dead);
    } finally {
      await sweeper.stop();
    }
  });

  it('once stopped (shutdown), the sweeper touches nothing more, so the database can close', async () => {
    const sweeper = startAbandonedSweeper(s.db, {
      kind: 'postgres',
      clock: s.clock,
      intervalMs: 10,
    });
    await sweeper.stop();
    const dead = await runningImport('5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusOf(dead)).toBe('running');
  });

  it('on the embedded database the server never sweeps its own running imports (one process opens it: what a dead one left is swept at start)', async () => {
    const sweeper = startAbandonedSweeper(s.db, { kind: 'pglite', clock: s.clock, intervalMs: 10 });
    try {
      const own = await runningImport('5 minutes');
      expect(await sweeper.sweep()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await statusOf(own)).toBe('running');
    } finally {
      await sweeper.stop();
    }
  });

  it('a sweep that fails is logged by its code only, never with the query or its parameters, and the next one runs', async () => {
    const log = logger();
    let calls = 0;
    const failing = {
      update() {
        calls++;
        throw Object.assign(
          new Error('Failed query: update "imports" set ... params: Marguerite Confidentielle'),
          {
            cause: {
              code: '57P01',
              message: 'terminating connection due to administrator command',
            },
          },
        );
      },
    } as unknown as Db;
    const sweeper = startAbandonedSweeper(failing, {
      kind: 'postgres',
      clock: s.clock,
      logger: log,
      intervalMs: 10,
    });
    try {
      await expect.poll(() => calls, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(2);
      expect(log.lines.length).toBeGreaterThanOrEqual(1);
      expect(log.lines.join('\n')).toContain('57P01');
      expect(log.lines.join('\n')).not.toContain('Marguerite');
      expect(log.lines.join('\n')).not.toContain('Failed query');
    } finally {
      await sweeper.stop();
    }
  });
});
