// Verifies the whole audit log: sequence without gaps, each event's link to the previous one,
// each event's own hash, and every stored checkpoint's signature and position in the chain.
// Names the first bad event. Chains what is pending first (chain-events.ts), so that every
// committed event is verified; `pending` counts the events still unchained after that pass
// (appended since, normally 0), which this verification does not cover.
import { asc, count, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { auditCheckpoints, auditEvents } from '../../db/schema/index.ts';
import { chainAuditEvents } from './chain-events.ts';
import { eventHash, GENESIS } from './chain.ts';
import { checkpointMac, type Checkpoint } from './checkpoint.ts';

export type AuditVerification =
  | {
      ok: true;
      events: number;
      checkpoints: number;
      head: { seq: number; hash: string } | null;
      pending: number;
    }
  | { ok: false; events: number; firstBad: { seq: number; reason: string }; pending: number };

export async function verifyAuditLog(
  db: Db,
  options: { key?: Buffer; exported?: Checkpoint } = {},
): Promise<AuditVerification> {
  await chainAuditEvents(db);
  const events = await db
    .select()
    .from(auditEvents)
    .where(isNotNull(auditEvents.seq))
    .orderBy(asc(auditEvents.seq));
  const [unchained] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(isNull(auditEvents.seq));
  const pending = Number(unchained?.n ?? 0);
  let prev: Buffer = GENESIS;
  const hashes = new Map<number, Buffer>();
  for (const [i, e] of events.entries()) {
    // Chained rows carry all three (the check constraint audit_events_chained_whole).
    const seq = e.seq!;
    const hash = e.hash!;
    const fail = (reason: string): AuditVerification => ({
      ok: false,
      events: events.length,
      firstBad: { seq, reason },
      pending,
    });
    if (seq !== i + 1)
      return fail(`expected event ${i + 1} here: an event is missing, inserted or moved`);
    if (!e.prevHash!.equals(prev)) return fail('its link to the previous event is broken');
    const { id: _i, prevHash: _p, hash: _h, ...fields } = e;
    if (!eventHash(prev, { ...fields, seq }).equals(hash))
      return fail('its content does not match its hash (edited)');
    hashes.set(seq, hash);
    prev = hash;
  }
  const stored = await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq));
  const checkpoints: Checkpoint[] = [
    ...stored.map((c) => ({
      seq: c.seq,
      hash: c.hash.toString('hex'),
      at: c.at,
      mac: c.mac.toString('hex'),
    })),
    ...(options.exported ? [options.exported] : []),
  ];
  for (const c of checkpoints) {
    const fail = (reason: string): AuditVerification => ({
      ok: false,
      events: events.length,
      firstBad: { seq: c.seq, reason },
      pending,
    });
    const atSeq = hashes.get(c.seq);
    if (!atSeq)
      return fail(`a checkpoint covers event ${c.seq}, which the log no longer holds (truncated)`);
    if (atSeq.toString('hex') !== c.hash)
      return fail(`the chain no longer matches the checkpoint at event ${c.seq}`);
    if (options.key && checkpointMac(options.key, c) !== c.mac)
      return fail(`the checkpoint at event ${c.seq} has a bad signature`);
  }
  const last = events.at(-1);
  return {
    ok: true,
    events: events.length,
    checkpoints: checkpoints.length,
    head: last ? { seq: last.seq!, hash: last.hash!.toString('hex') } : null,
    pending,
  };
}
