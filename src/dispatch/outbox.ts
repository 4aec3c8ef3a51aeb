// The outbox's life cycle in SQL, one named function each: claim, lease renewal, lease expiry,
// release to the queue, outcomes. The rule that ties them (issue 14, "lose nobody"):
//
//   queued --claim--> sending --(hand-over recorded, handover-log.ts)--> channel --> outcome
//
// A claimed row whose lease runs out (its process died, or its group's transaction failed) is
// resolved by one rule: `unknown` if its current attempt was handed over (the message may have
// reached the server: reported, never sent again silently), else back to `queued` with its
// attempt given back (it never left). Outcomes are written in the send group's transaction.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/open-db.ts';
import { outbox } from '../db/schema/index.ts';
import type { SendResult } from './channel.ts';
import type { Attempt, HandoverLog } from './handover-log.ts';

export type ClaimedRow = {
  id: number;
  contact_id: string | null;
  message_ref: string;
  attempts: number;
};

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Claims up to `size` due rows of a campaign for `workerId`: marked `sending`, a new attempt,
 * leased until `leaseUntil`, and committed. FOR UPDATE SKIP LOCKED, so that several dispatcher
 * processes sharing one PostgreSQL never claim the same row. Sorted by id.
 */
export async function claimBatch(
  db: Db,
  o: { campaignId: string; size: number; workerId: string; now: Date; leaseUntil: Date },
): Promise<ClaimedRow[]> {
  const claimed = (await db.execute(sql`
    update outbox o set state = 'sending', attempts = o.attempts + 1, claimed_by = ${o.workerId},
      lease_until = ${ts(o.leaseUntil)}, updated_at = ${ts(o.now)}
    where o.id in (
      select id from outbox
      where campaign_id = ${o.campaignId} and state = 'queued'
        and (next_attempt_at is null or next_attempt_at <= ${ts(o.now)})
      order by id limit ${o.size}
      for update skip locked)
    returning o.id, o.contact_id, o.message_ref, o.attempts`)) as unknown as { rows: ClaimedRow[] };
  // bigint ids arrive as strings from node-postgres: numbers from here on.
  return claimed.rows.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
}

/**
 * In a send group's transaction: renews the lease of the rows still ours and `sending`, and
 * returns their ids. The update locks them until the group commits; a row that a lease expiry
 * already resolved (unknown, or queued and maybe claimed by another process) is not ours to send.
 */
export async function renewLeases(
  tx: Db,
  o: { ids: number[]; workerId: string; leaseUntil: Date },
): Promise<Set<number>> {
  const mine = (await tx.execute(sql`
    update outbox set lease_until = ${ts(o.leaseUntil)}
    where id = any(${sql.param(o.ids)}::bigint[]) and state = 'sending' and claimed_by = ${o.workerId}
    returning id`)) as unknown as { rows: { id: number | string }[] };
  return new Set(mine.rows.map((r) => Number(r.id)));
}

/** What a resolution did: rows made `unknown`, rows given back to the queue. */
export type Resolved = { unknown: number; requeued: number };

/**
 * The rule, on `sending` rows chosen by `where`: those whose current attempt was handed over
 * become `unknown` ("outcome unknown: <why>"); the others go back to `queued`, attempt given back.
 * Rows locked by a live send group are skipped (SKIP LOCKED): that group renewed their lease and
 * resolves them itself.
 */
async function resolveSending(
  db: Db,
  log: HandoverLog,
  where: ReturnType<typeof sql>,
  now: Date,
  why: string,
): Promise<Resolved> {
  return db.transaction(async (tx) => {
    const rows = (await tx.execute(sql`
      select id, attempts from outbox where state = 'sending' and ${where}
      for update skip locked`)) as unknown as { rows: { id: number | string; attempts: number }[] };
    if (rows.rows.length === 0) return { unknown: 0, requeued: 0 };
    const attempts: Attempt[] = rows.rows.map((r) => ({ id: Number(r.id), attempt: r.attempts }));
    const handed = await log.handedOver(tx, attempts);
    const unknown = attempts.filter((a) => handed.has(a.id)).map((a) => a.id);
    const back = attempts.filter((a) => !handed.has(a.id)).map((a) => a.id);
    if (unknown.length)
      await tx.execute(sql`
        update outbox set state = 'unknown', lease_until = null,
          last_error = ${`outcome unknown: ${why}; not sent again`}, updated_at = ${ts(now)}
        where id = any(${sql.param(unknown)}::bigint[])`);
    if (back.length)
      await tx.execute(sql`
        update outbox set state = 'queued', lease_until = null,
          attempts = greatest(attempts - 1, 0), updated_at = ${ts(now)}
        where id = any(${sql.param(back)}::bigint[])`);
    return { unknown: unknown.length, requeued: back.length };
  });
}

/**
 * Lease expiry, each pass: a `sending` row whose lease ran out belongs to a process that died or
 * a group that failed. Resolved by the rule: handed over -> `unknown`, never -> `queued`.
 */
export function expireLeases(db: Db, log: HandoverLog, now: Date): Promise<Resolved> {
  return resolveSending(
    db,
    log,
    sql`lease_until <= ${ts(now)}`,
    now,
    'the dispatcher stopped while sending',
  );
}

/**
 * The embedded database at dispatcher start: one process holds the data directory, so every
 * `sending` row is a dead process's. Resolved at once by the rule, without waiting for leases.
 */
export function resolveAbandoned(db: Db, log: HandoverLog, now: Date): Promise<Resolved> {
  return resolveSending(db, log, sql`true`, now, 'the previous process stopped while sending');
}

/**
 * Releases rows this worker claimed and will not send now: a batch stopped by a pause or a
 * cancel, or a send group whose transaction failed (rolled back: none of its outcomes were
 * written). By the rule, so a row handed over before the failure is `unknown`. Through the main
 * database, after the group's transaction is gone; if that fails too, lease expiry does it.
 */
export function releaseClaims(
  db: Db,
  log: HandoverLog,
  o: { ids: number[]; workerId: string; now: Date },
): Promise<Resolved> {
  if (o.ids.length === 0) return Promise.resolve({ unknown: 0, requeued: 0 });
  return resolveSending(
    db,
    log,
    sql`id = any(${sql.param(o.ids)}::bigint[]) and claimed_by = ${o.workerId}`,
    o.now,
    'the send group failed after the hand-over',
  );
}

/** Rows put back to `queued` after a cancel: nothing will send them. */
export async function suppressCancelled(db: Db, now: Date) {
  await db.execute(sql`
    update outbox set state = 'suppressed', last_error = 'campaign cancelled', updated_at = ${ts(now)}
    where state = 'queued' and campaign_id in (select id from campaigns where state = 'cancelled')`);
}

/** `sourceId`: for a sent message, the source its notice named (recorded as outbox.source_id). */
export type Outcome = { row: ClaimedRow; result: SendResult | 'suppressed'; sourceId?: string };
export type Tally = {
  sent: number;
  failed: number;
  retry: number;
  suppressed: number;
  unknown: number;
};

const BACKOFF_BASE_MS = 30_000;

/**
 * In the send group's transaction: each row's outcome. Sent and suppressed set-wise (one
 * statement each); the rarer failures one by one (each keeps its own error and backoff): a
 * temporary failure goes back to the queue after 30 s doubling, until `maxAttempts`; an unknown
 * outcome (the server may have the message) is reported, never retried. A sent row records the
 * source its notice named (RIGHTS-2), in the same statement. Returns the tally and the ids sent.
 */
export async function recordOutcomes(
  tx: Db,
  outcomes: Outcome[],
  o: { at: Date; maxAttempts: number },
): Promise<{ tally: Tally; sentIds: number[] }> {
  const { at } = o;
  const tally: Tally = { sent: 0, failed: 0, retry: 0, suppressed: 0, unknown: 0 };
  const sentIds: number[] = [];
  const sentSources: (string | null)[] = [];
  const suppressedIds: number[] = [];
  for (const { row, result, sourceId } of outcomes) {
    if (result === 'suppressed') suppressedIds.push(row.id);
    else if (result.ok) {
      sentIds.push(row.id);
      sentSources.push(sourceId ?? null);
    } else if (result.unknown) {
      tally.unknown++;
      await tx
        .update(outbox)
        .set({
          state: 'unknown',
          leaseUntil: null,
          lastError: result.error,
          updatedAt: at,
          // It may have reached the person: its page names the source its notice named.
          ...(sourceId && { sourceId }),
        })
        .where(eq(outbox.id, row.id));
    } else if (result.temporary && row.attempts < o.maxAttempts) {
      tally.retry++;
      await tx
        .update(outbox)
        .set({
          state: 'queued',
          leaseUntil: null,
          nextAttemptAt: new Date(at.getTime() + BACKOFF_BASE_MS * 2 ** (row.attempts - 1)),
          lastError: result.error,
          updatedAt: at,
        })
        .where(eq(outbox.id, row.id));
    } else {
      tally.failed++;
      await tx
        .update(outbox)
        .set({ state: 'failed', leaseUntil: null, lastError: result.error, updatedAt: at })
        .where(eq(outbox.id, row.id));
    }
  }
  tally.sent = sentIds.length;
  tally.suppressed = suppressedIds.length;
  if (sentIds.length)
    await tx.execute(sql`
      update outbox o set state = 'sent', sent_at = ${ts(at)}, lease_until = null, last_error = null,
        updated_at = ${ts(at)}, source_id = coalesce(v.source_id, o.source_id)
      from unnest(${sql.param(sentIds)}::bigint[], ${sql.param(sentSources)}::uuid[]) as v(id, source_id)
      where o.id = v.id`);
  if (suppressedIds.length)
    await tx
      .update(outbox)
      .set({
        state: 'suppressed',
        lastError: 'objected or no longer reachable',
        leaseUntil: null,
        updatedAt: at,
      })
      .where(and(inArray(outbox.id, suppressedIds)));
  return { tally, sentIds };
}
