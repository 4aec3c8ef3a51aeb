import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { chainAuditEvents } from './chain-events.ts';
import { createCheckpoint } from './checkpoint.ts';
import { recordAudit } from './record-audit.ts';
import { verifyAuditLog } from './verify-audit.ts';

let s: TestServices;
const key = randomBytes(32);
const EVENTS = 20;
beforeAll(async () => {
  s = await openTestServices();
  for (let i = 0; i < EVENTS; i++) {
    await recordAudit(s.db, {
      actor: `token:${i % 3}`,
      action: 'source.create',
      entityType: 'source',
      entityId: `s-${i}`,
      summary: { n: i },
    });
  }
  await createCheckpoint(s.db, { key, actor: 'test', clock: () => new Date() });
});
afterAll(() => s.dispose());

class Rollback extends Error {}

/** Applies `mutate` inside a transaction, verifies, and rolls everything back. */
async function verifyAfter(mutate: (tx: typeof s.db) => Promise<void>) {
  let result: Awaited<ReturnType<typeof verifyAuditLog>> | undefined;
  await s.db
    .transaction(async (tx) => {
      await mutate(tx);
      result = await verifyAuditLog(tx, { key });
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return result!;
}

const TOTAL = EVENTS + 1; // events plus the checkpoint's own event

type Mutation =
  | {
      kind: 'field';
      seq: number;
      field: 'actor' | 'action' | 'entity_id' | 'summary' | 'at' | 'org_id';
    }
  | { kind: 'byte'; seq: number; column: 'hash' | 'prev_hash'; byte: number }
  | { kind: 'delete'; seq: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'insert'; seq: number }
  | { kind: 'truncate'; from: number };

const seq = fc.integer({ min: 1, max: TOTAL });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('field' as const),
    seq,
    field: fc.constantFrom('actor', 'action', 'entity_id', 'summary', 'at', 'org_id'),
  }),
  fc.record({
    kind: fc.constant('byte' as const),
    seq,
    column: fc.constantFrom('hash', 'prev_hash'),
    byte: fc.integer({ min: 0, max: 31 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), seq }),
  fc.record({ kind: fc.constant('swap' as const), a: seq, b: seq }).filter((m) => m.a !== m.b),
  fc.record({ kind: fc.constant('insert' as const), seq }),
  fc.record({ kind: fc.constant('truncate' as const), from: seq }),
);

async function apply(tx: typeof s.db, m: Mutation) {
  switch (m.kind) {
    case 'field': {
      const change = {
        actor: sql`actor = actor || 'x'`,
        action: sql`action = 'contact.read'`,
        entity_id: sql`entity_id = coalesce(entity_id, '') || 'x'`,
        summary: sql`summary = summary || '{"forged": true}'::jsonb`,
        at: sql`at = at + interval '1 second'`,
        org_id: sql`org_id = '00000000-0000-4000-8000-000000000000'`,
      }[m.field];
      return tx.execute(sql`update audit_events set ${change} where seq = ${m.seq}`);
    }
    case 'byte':
      return tx.execute(
        sql`update audit_events set ${sql.raw(m.column)} = set_byte(${sql.raw(m.column)}, ${m.byte}, (get_byte(${sql.raw(m.column)}, ${m.byte}) + 1) % 256) where seq = ${m.seq}`,
      );
    case 'delete':
      return tx.execute(sql`delete from audit_events where seq = ${m.seq}`);
    case 'swap':
      await tx.execute(sql`update audit_events set seq = -1 where seq = ${m.a}`);
      await tx.execute(sql`update audit_events set seq = ${m.a} where seq = ${m.b}`);
      return tx.execute(sql`update audit_events set seq = ${m.b} where seq = -1`);
    case 'insert':
      // Shift the rest up and slip a well-formed event in, linked to its predecessor.
      await tx.execute(sql`update audit_events set seq = -seq where seq >= ${m.seq}`);
      await tx.execute(sql`update audit_events set seq = -seq + 1 where seq < 0`);
      return tx.execute(sql`insert into audit_events (seq, at, actor, action, entity_type, summary, prev_hash, hash)
        select ${m.seq}, now(), 'intruder', 'contact.read', 'contact', '{}'::jsonb,
          coalesce((select hash from audit_events where seq = ${m.seq - 1}), '\\x' || repeat('00', 32)::bytea),
          decode(md5('forged') || md5('forged'), 'hex')`);
    case 'truncate':
      return tx.execute(sql`delete from audit_events where seq >= ${m.from}`);
  }
}

describe('audit log (SEC-2)', () => {
  it('verifies an untouched chain with its signed checkpoint', async () => {
    expect(await verifyAuditLog(s.db, { key })).toMatchObject({
      ok: true,
      events: TOTAL,
      checkpoints: 1,
    });
  });

  it('detects every one of 1,000 random mutations and names the event', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const result = await verifyAfter((tx) => apply(tx, m).then(() => undefined));
        expect(result.ok, JSON.stringify(m)).toBe(false);
        if (!result.ok) expect(result.firstBad.seq).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
    expect((await verifyAuditLog(s.db, { key })).ok).toBe(true);
  }, 120_000);

  it('keeps one linear chain with 8 concurrent writers and 3 concurrent chainers', async () => {
    let writing = true;
    let chainedWhileWriting = 0;
    const chainers = Array.from({ length: 3 }, async () => {
      // No timer between passes: on PGlite the writers' queries never yield to one.
      while (writing) {
        const n = await chainAuditEvents(s.db);
        chainedWhileWriting += n;
      }
    });
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 15; i++) {
            await s.db.transaction(async (tx) => {
              await recordAudit(tx, {
                actor: `writer:${w}`,
                action: 'contact.read',
                entityType: 'contact',
                summary: { i },
              });
            });
          }
        })(),
      ),
    );
    writing = false;
    await Promise.all(chainers);
    // The race happened: events were chained while others were still being appended.
    expect(chainedWhileWriting).toBeGreaterThan(0);
    expect(await verifyAuditLog(s.db, { key })).toMatchObject({
      ok: true,
      events: TOTAL + 120,
      pending: 0,
    });
    const seqs = (await s.db.execute(
      sql`select seq from audit_events order by seq`,
    )) as unknown as { rows: { seq: number | string | null }[] };
    expect(seqs.rows.map((r) => Number(r.seq))).toEqual(
      Array.from({ length: TOTAL + 120 }, (_, i) => i + 1),
    );
  });

  it('appends events unchained, and chains them in the order they were appended', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        await recordAudit(s.db, { actor: 'test', action: 'source.create', entityType: 'source' }),
      );
    const before = (await s.db.execute(
      sql`select count(*)::int as n from audit_events where seq is null`,
    )) as unknown as { rows: { n: number }[] };
    expect(before.rows[0]!.n).toBe(3);
    expect(await chainAuditEvents(s.db)).toBe(3);
    expect(await chainAuditEvents(s.db)).toBe(0);
    const rows = (await s.db.execute(
      sql`select id, seq from audit_events where id = any(${sql.param(ids)}::bigint[]) order by id`,
    )) as unknown as { rows: { id: number | string; seq: number | string }[] };
    const seqs = rows.rows.map((r) => Number(r.seq));
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    expect(await verifyAuditLog(s.db, { key })).toMatchObject({ ok: true, pending: 0 });
  });

  it('finds an event taken off the chain (seq and hashes cleared) by the gap it leaves', async () => {
    // An event made to look unchained (seq, prev_hash and hash cleared) is chained again at the
    // end: the gap it leaves is found.
    const result = await verifyAfter(async (tx) => {
      await tx.execute(
        sql`update audit_events set seq = null, prev_hash = null, hash = null where seq = 5`,
      );
    });
    expect(result).toMatchObject({ ok: false, firstBad: { seq: 6 } });
  });

  it('catches a truncated tail with an exported checkpoint even when stored ones are gone', async () => {
    const exported = await createCheckpoint(s.db, { key, actor: 'test', clock: () => new Date() });
    const result = await verifyAfter(async (tx) => {
      await tx.execute(sql`delete from audit_checkpoints`);
      await tx.execute(sql`delete from audit_events where seq >= ${exported.seq - 1}`);
    });
    expect(result.ok).toBe(true); // the chain alone looks fine...
    const withExport = await verifyAfter(async (tx) => {
      await tx.execute(sql`delete from audit_checkpoints`);
      await tx.execute(sql`delete from audit_events where seq >= ${exported.seq - 1}`);
      const r = await verifyAuditLog(tx, { key, exported });
      expect(r).toMatchObject({ ok: false, firstBad: { seq: exported.seq } });
    });
    expect(withExport).toBeDefined();
    expect(await verifyAuditLog(s.db, { key: randomBytes(32) })).toMatchObject({
      ok: false,
      firstBad: { reason: expect.stringMatching(/bad signature/) },
    });
  });
});
