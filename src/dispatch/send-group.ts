// One send group: a few claimed rows of one campaign, re-checked and sent in ONE transaction.
//
// The OPT-2 lock chain ("no message leaves after an objection committed") lives here:
//  1. the group locks its recipients' contact rows FOR SHARE, then re-reads their consent
//     (`permitted`, domain/contacts/reachability.ts) and the suppression list;
//  2. an objection (domain/objections/objections.ts) appends to the consent ledger, and the
//     ledger's trigger `contacts_keep_consent_state` (migration 0006) UPDATEs the same contact
//     rows, which needs a lock that conflicts with FOR SHARE: the objection waits until this group
//     commits, and its answer (2xx) comes after;
//  3. so a message goes out only if, while its contact row was locked, the person had not
//     objected; an objection that commits first is seen by the re-check, and its row suppressed.
// The hand-over record (handover-log.ts) comes after 1, right before channel.send, from outside
// this transaction, so that a kill or a rollback from there on leaves the row `unknown`, never
// silently re-sent nor silently dropped (dispatch/outbox.ts).
//
// Backpressure: the channel is handed at most `capacity` messages at once across all groups
// (SendSlots); a group sends in waves of the slots it gets, recording each wave's hand-overs in
// one statement (one fsync on the embedded database) just before the wave, while a statement in
// the group's own transaction proves that its locks still hold (see handOver).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open-db.ts';
import { campaigns } from '../db/schema/index.ts';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { openIdentity } from '../domain/contacts/identity.ts';
import { permitted } from '../domain/contacts/reachability.ts';
import { unsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import { suppressedAmong, suppressionHashes } from '../domain/objections/suppression.ts';
import type { KeyRing } from '../domain/organisations/key-ring.ts';
import type { Organisation } from '../domain/organisations/organisations.ts';
import type { Campaign } from '../domain/outreach/campaigns.ts';
import { composeEmail, type OutgoingEmail } from '../domain/outreach/compose.ts';
import { recordFirstMessages } from '../domain/outreach/first-message.ts';
import { NO_NOTICE_SOURCE } from '../domain/outreach/notice.ts';
import { recipientProvenance } from '../domain/outreach/provenance.ts';
import type { SilenceCalendar } from '../domain/outreach/silence.ts';
import type { Clock } from '../domain/validation.ts';
import type { Channel, SendResult } from './channel.ts';
import type { HandoverLog } from './handover-log.ts';
import { holdSilenced } from './hold-silenced.ts';
import { recordOutcomes, renewLeases, type ClaimedRow, type Outcome } from './outbox.ts';

/**
 * The channel's slots, shared by every group of a dispatcher: never more than `capacity`
 * messages handed over and unanswered. acquire(max) waits for at least one free slot and takes
 * up to `max`; slots freed together are handed out together (fewer, larger waves).
 */
export class SendSlots {
  readonly capacity: number;
  #free: number;
  #waiters: { max: number; resolve: (n: number) => void }[] = [];
  #draining = false;

  constructor(capacity: number) {
    this.capacity = Number.isInteger(capacity) && capacity > 0 ? capacity : 1;
    this.#free = this.capacity;
  }

  acquire(max: number): Promise<number> {
    if (this.#free > 0 && this.#waiters.length === 0) {
      const n = Math.min(max, this.#free);
      this.#free -= n;
      return Promise.resolve(n);
    }
    return new Promise((resolve) => this.#waiters.push({ max, resolve }));
  }

  release(n: number) {
    this.#free += n;
    if (this.#draining) return;
    this.#draining = true;
    setImmediate(() => {
      this.#draining = false;
      while (this.#free > 0 && this.#waiters.length) {
        const w = this.#waiters.shift()!;
        const k = Math.min(w.max, this.#free);
        this.#free -= k;
        w.resolve(k);
      }
    });
  }
}

export type GroupContext = {
  db: Db;
  keys: KeyRing;
  clock: Clock;
  channel: Channel;
  slots: SendSlots;
  handovers: HandoverLog;
  workerId: string;
  leaseMs: number;
  maxAttempts: number;
  publicUrl: string;
  mailDomain: string;
  unsubscribeByReply: boolean;
  campaign: Campaign;
  org: Organisation;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  silences: SilenceCalendar;
};

/**
 * Sends one group in one transaction; false when the campaign is no longer sending (nothing
 * sent). Throws when the transaction fails: it rolled back, and the caller releases the rows by
 * the rule (outbox.ts releaseClaims).
 */
export async function sendGroup(ctx: GroupContext, claimed: ClaimedRow[]): Promise<boolean> {
  const { db, clock, keys, channel, campaign, org } = ctx;
  return db.transaction(async (tx) => {
    // Read again before each group: a pause stops the rest of the batch.
    const [state] = await tx
      .select({ state: campaigns.state })
      .from(campaigns)
      .where(eq(campaigns.id, campaign.id));
    if (state?.state !== 'sending') return false;
    // Only rows still ours and in flight; locked, and their lease renewed, for this group.
    const owned = await renewLeases(tx, {
      ids: claimed.map((g) => g.id),
      workerId: ctx.workerId,
      leaseUntil: new Date(clock().getTime() + ctx.leaseMs),
    });
    let group = claimed.filter((g) => owned.has(g.id));
    group = await holdSilenced(tx, ctx.silences, group, clock()); // CAL-1: back to the queue
    if (group.length === 0) return true;
    // A row with no contact (erased after an objection, OPT-3) is suppressed below.
    const ids = group.flatMap((g) => (g.contact_id ? [g.contact_id] : []));
    // OPT-2, step 1 (see the header): FOR SHARE, so an objection, whose consent-ledger trigger
    // updates these rows, waits until this group commits; the re-check below reads them locked.
    const people = (await tx.execute(sql`
      select c.id, c.identity, (${permitted('email')}) as reachable
      from contacts c where c.id = any(${sql.param(ids)}::uuid[]) order by c.id for share`)) as unknown as {
      rows: { id: string; identity: Uint8Array; reachable: boolean }[];
    };
    const orgKeys = await keys.forOrg(tx, org.id);
    const byId = new Map(people.rows.map((p) => [p.id, p]));
    const identities = new Map(
      people.rows.map((p) => [p.id, openIdentity(orgKeys, org.id, p.id, Buffer.from(p.identity))]),
    );
    const hashes = [...identities.values()].flatMap((i) => suppressionHashes(orgKeys, i));
    const suppressed = await suppressedAmong(tx, { orgId: org.id, hashes });
    const provenance = await recipientProvenance(tx, ids);
    const now = clock();
    const today = now.toISOString().slice(0, 10);

    const outcomes: Outcome[] = [];
    const toSend: { row: ClaimedRow; message: OutgoingEmail; sourceId?: string }[] = [];
    for (const row of group) {
      const person = row.contact_id ? byId.get(row.contact_id) : undefined;
      const identity = row.contact_id ? identities.get(row.contact_id) : undefined;
      const objected =
        !person?.reachable ||
        !identity?.email ||
        suppressionHashes(orgKeys, identity).some((h) => suppressed.has(h.toString('hex')));
      if (objected) {
        outcomes.push({ row, result: 'suppressed' });
        continue;
      }
      const origin = provenance.get(row.contact_id!);
      if (!origin) {
        outcomes.push({ row, result: NO_NOTICE_SOURCE });
        continue;
      }
      const token = unsubscribeToken(keys.unsubscribeKey(), row.message_ref);
      try {
        const message = composeEmail({
          org,
          campaign,
          identity: identity!,
          provenance: origin,
          messageRef: row.message_ref,
          unsubscribeUrl: `${ctx.publicUrl}/u/${token}`,
          privacyUrl: `${ctx.publicUrl}/privacy/${org.id}`,
          messageUrl: `${ctx.publicUrl}/m/${row.message_ref}`,
          ...(ctx.unsubscribeByReply && {
            unsubscribeMailto: `mailto:unsubscribe+${token}@${ctx.mailDomain}?subject=unsubscribe`,
          }),
          domain: ctx.mailDomain,
          today,
          attachments: ctx.attachments,
        });
        toSend.push({ row, message, ...(origin.sourceId && { sourceId: origin.sourceId }) });
      } catch (error) {
        // One message that cannot be composed fails alone, never the group.
        outcomes.push({
          row,
          result: {
            ok: false,
            temporary: false,
            error: `cannot compose: ${error instanceof Error ? error.name : 'error'}`,
          },
        });
      }
    }

    outcomes.push(...(await handOver(ctx, tx, toSend)));
    const at = clock();
    const { tally, sentIds } = await recordOutcomes(tx, outcomes, {
      at,
      maxAttempts: ctx.maxAttempts,
    });
    // RET-2: the first message sent to each contact, recorded once (its notices used `now`).
    const sentTo = new Set(sentIds);
    await recordFirstMessages(
      tx,
      group.filter((g) => sentTo.has(g.id)).map((g) => g.contact_id!),
      now,
    );
    await recordAudit(
      tx,
      {
        actor: `dispatcher:${ctx.workerId}`,
        action: 'message.send',
        orgId: org.id,
        entityType: 'campaign',
        entityId: campaign.id,
        summary: { channel: channel.name, ...tally },
      },
      clock,
    );
    return true;
  });
}

/**
 * Hands the messages to the channel in waves of the slots free: each wave's hand-overs recorded
 * durably in one go, then its messages sent, each slot freed when its answer comes. Resolves when
 * every message launched has its answer, even when a record or a send failed (then it throws the
 * first error): nothing of this group is still in flight when its transaction ends.
 */
async function handOver(
  ctx: GroupContext,
  tx: Db,
  toSend: { row: ClaimedRow; message: OutgoingEmail; sourceId?: string }[],
): Promise<Outcome[]> {
  // Each promise settles (never rejects) once its message has its answer.
  const inFlight: Promise<Outcome | undefined>[] = [];
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < toSend.length && !failure;) {
    const n = await ctx.slots.acquire(toSend.length - i);
    if (failure) {
      ctx.slots.release(n);
      break;
    }
    let wave = toSend.slice(i, i + n);
    i += n;
    try {
      // OPT-2 holds only while this transaction's session lives: PostgreSQL ending it (a restart,
      // pg_terminate_backend, idle_in_transaction_session_timeout) rolls it back and drops the FOR
      // SHARE locks, and an objection may then commit. So each wave first proves, from inside the
      // transaction, that the session and its locks are still there (renewing the wave's lease:
      // a lease that ran out meanwhile was resolved by another process, and its row is not sent).
      // A dead session fails here, before anything more is handed over. The hand-over record goes
      // at the same time, from its own connection: a record whose check then fails only makes
      // its rows `unknown` (an over-count, never a silent omission nor a second copy).
      const [alive] = await Promise.all([
        renewLeases(tx, {
          ids: wave.map(({ row }) => row.id),
          workerId: ctx.workerId,
          leaseUntil: new Date(ctx.clock().getTime() + ctx.leaseMs),
        }),
        ctx.handovers.record(
          wave.map(({ row }) => ({ id: row.id, attempt: row.attempts })),
          ctx.clock(),
          ctx.workerId,
        ),
      ]);
      const kept = wave.filter(({ row }) => alive.has(row.id));
      if (kept.length < wave.length) ctx.slots.release(wave.length - kept.length);
      wave = kept;
    } catch (error) {
      // Not handed over: these messages stay unsent (if their record was written, they become
      // `unknown` when the group's rows are released: outbox.ts).
      ctx.slots.release(n);
      failure ??= { error };
      break;
    }
    for (const { row, message, sourceId } of wave)
      inFlight.push(
        send(ctx.channel, message)
          .then(
            (result): Outcome => ({ row, result, ...(sourceId && { sourceId }) }),
            (error: unknown) => {
              // No further wave: the group fails once what is on its way has answered.
              failure ??= { error };
              return undefined;
            },
          )
          .finally(() => ctx.slots.release(1)),
      );
  }
  const outcomes = await Promise.all(inFlight);
  if (failure) throw failure.error;
  return outcomes.filter((o) => o !== undefined);
}

/** A channel that throws (even at once) rejects: the group fails and its rows are released. */
const send = (channel: Channel, message: OutgoingEmail): Promise<SendResult> =>
  Promise.resolve().then(() => channel.send(message));
