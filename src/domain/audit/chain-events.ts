// SEC-2, issue 14 (objections first): links committed events into the audit log's hash chain.
//
// Why: writers append events unchained and take no lock (record-audit.ts). Before, every writer
// took one global lock and held it to its commit, so an objection waited behind whatever
// transaction had written an event before it: a send group's (SMTP round trips included), an
// import's. Now only chainers take a lock, each in a short transaction of its own, and no writer
// ever waits for one.
//
// How: under an advisory lock that only chainers take (at most one chainer links at a time,
// across processes sharing a PostgreSQL), read the head (the highest seq and its hash), take the
// committed unchained events in the order they were appended (id), give each the next seq, the
// previous hash and its own hash (chain.ts: the hashed fields are unchanged), and write them in
// one statement; batch after batch until none is left. An event whose writer commits late (a
// lower id committing after a higher one was chained) is simply chained later: `seq` is the
// order of the chain, `id` the order of appending. The chain and its checks are unchanged.
//
// The window: an event is tamper-evident once chained. The server chains every second
// (startAuditChainer, main.ts), every command chains what it wrote before it exits
// (services.close), and verification, listing and checkpoints chain first: an unchained event
// is never reported as verified, and a checkpoint always covers its own event.
import { asc, desc, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { eventHash, GENESIS } from './chain.ts';

/** The lock of the chain. The value of the writers' lock before issue 14, so that a process of
 * an older version appending (and chaining) at the same time takes turns with the chainer. */
const CHAIN_LOCK = 7_271_130_003;
const BATCH = 500;

/** Links the committed unchained events; returns how many it chained. */
export async function chainAuditEvents(db: Db): Promise<number> {
  let total = 0;
  // Nothing pending (the usual case of the server's pass every second): no transaction, no lock.
  const [any] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(isNull(auditEvents.seq))
    .limit(1);
  if (!any) return 0;
  for (;;) {
    const chained = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
      const pending = await tx
        .select()
        .from(auditEvents)
        .where(isNull(auditEvents.seq))
        .orderBy(asc(auditEvents.id))
        .limit(BATCH);
      if (pending.length === 0) return 0;
      const [head] = await tx
        .select({ seq: auditEvents.seq, hash: auditEvents.hash })
        .from(auditEvents)
        .where(isNotNull(auditEvents.seq))
        .orderBy(desc(auditEvents.seq))
        .limit(1);
      let seq = head?.seq ?? 0;
      let prev = head?.hash ?? GENESIS;
      const ids: number[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const e of pending) {
        seq += 1;
        const hash = eventHash(prev, {
          seq,
          at: e.at,
          orgId: e.orgId,
          actor: e.actor,
          action: e.action,
          entityType: e.entityType,
          entityId: e.entityId,
          summary: e.summary,
        });
        ids.push(Number(e.id));
        seqs.push(seq);
        prevs.push(prev.toString('hex'));
        hashes.push(hash.toString('hex'));
        prev = hash;
      }
      await tx.execute(sql`
        update audit_events a
        set seq = v.seq, prev_hash = decode(v.prev_hash, 'hex'), hash = decode(v.hash, 'hex')
        from (
          select unnest(${sql.param(ids)}::bigint[]) as id, unnest(${sql.param(seqs)}::bigint[]) as seq,
            unnest(${sql.param(prevs)}::text[]) as prev_hash, unnest(${sql.param(hashes)}::text[]) as hash
        ) v
        where a.id = v.id and a.seq is null`);
      return pending.length;
    });
    total += chained;
    if (chained < BATCH) return total;
  }
}

export type AuditChainer = { stop(): Promise<void> };

/**
 * Chains every `intervalMs` until stopped (the server). A failed pass (the database away) is
 * reported to `onError` and retried at the next tick; it never stops the chainer.
 */
export function startAuditChainer(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): AuditChainer {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const tick = () => {
    pass = chainAuditEvents(db)
      .then(
        () => undefined,
        (error: unknown) => {
          try {
            options.onError?.(error);
          } catch {
            // A failing reporter does not stop the chain.
          }
        },
      )
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
