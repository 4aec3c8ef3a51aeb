// A checkpoint signs the head of the chain (seq, hash, time) with an HMAC key kept apart from
// the database and the master key. Exported and kept elsewhere, it proves later that the log was
// not truncated or rewritten up to that point. The checkpoint is itself an event: recorded, then
// chained with whatever else is pending (chain-events.ts), then the head that includes it is
// signed, all in one transaction; the chainer's lock, held to its commit, keeps the head still.
import { createHmac } from 'node:crypto';
import { desc, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { auditCheckpoints, auditEvents } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { Actor, Clock } from '../validation.ts';
import { chainAuditEvents } from './chain-events.ts';
import { recordAudit } from './record-audit.ts';

export type Checkpoint = { seq: number; hash: string; at: string; mac: string };

export function checkpointMac(key: Buffer, c: Omit<Checkpoint, 'mac'>): string {
  return createHmac('sha256', key)
    .update(`isoloir-audit-checkpoint|${c.seq}|${c.hash}|${new Date(c.at).toISOString()}`)
    .digest('hex');
}

export async function createCheckpoint(
  db: Db,
  options: { key: Buffer | undefined; actor: Actor; clock: Clock },
): Promise<Checkpoint> {
  if (!options.key) {
    throw DomainError.keyed(
      'invalid',
      'audit.no_audit_key',
      'no audit key: set ISOLOIR_AUDIT_KEY (openssl rand -hex 32) or ISOLOIR_AUDIT_KEY_FILE, kept apart from the database',
    );
  }
  const key = options.key;
  return db.transaction(async (tx) => {
    // The checkpoint is itself an event, then it signs the head that includes it.
    await recordAudit(
      tx,
      { actor: options.actor, action: 'audit.checkpoint', entityType: 'audit' },
      options.clock,
    );
    await chainAuditEvents(tx);
    const [head] = await tx
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(isNotNull(auditEvents.seq))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    const headSeq = head!.seq!;
    const headHash = head!.hash!;
    const base = {
      seq: headSeq,
      hash: headHash.toString('hex'),
      at: options.clock().toISOString(),
    };
    const checkpoint = { ...base, mac: checkpointMac(key, base) };
    await tx.insert(auditCheckpoints).values({
      seq: base.seq,
      hash: headHash,
      at: base.at,
      mac: Buffer.from(checkpoint.mac, 'hex'),
    });
    return checkpoint;
  });
}
