// The send engine: the one gate every message passes (architecture: "one gate for every message").
// This file is its loop and the orchestration of a batch; the SQL of the outbox's life cycle is in
// outbox.ts, one group's re-check and send in send-group.ts, the hand-over record in
// handover-log.ts, a campaign's end state in domain/outreach/campaigns.ts.
//
// A pass: resolve expired leases (handed over -> unknown, else back to the queue), close the
// campaigns that have finished, then for each campaign sending now:
//  1. claim a batch (FOR UPDATE SKIP LOCKED: several dispatcher processes can share one
//     PostgreSQL), marked `sending` with a lease, committed;
//  2. send it a group at a time, `parallelGroups` at once, each group in one transaction that
//     locks its contacts FOR SHARE and re-checks them before any hand-over (OPT-2, send-group.ts).
//     A paused or cancelled campaign stops the rest of the batch, which goes back untouched; a
//     group that fails rolls back and its rows are released at once by the rule.
// Never more than the channel's capacity is handed over at once (SendSlots): what a crash can
// leave `unknown` is at most the messages actually on their way.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/open-db.ts';
import { campaigns } from '../db/schema/index.ts';
import type { KeyRing } from '../domain/organisations/key-ring.ts';
import { getOrganisation } from '../domain/organisations/organisations.ts';
import {
  campaignAttachmentsOf,
  closeFinishedCampaigns,
  type Campaign,
} from '../domain/outreach/campaigns.ts';
import { silenceCalendar } from '../domain/outreach/silence.ts';
import type { Clock } from '../domain/validation.ts';
import type { Channel } from './channel.ts';
import { MemoryHandoverLog, type HandoverLog } from './handover-log.ts';
import {
  claimBatch,
  expireLeases,
  releaseClaims,
  resolveAbandoned,
  suppressCancelled,
  type ClaimedRow,
} from './outbox.ts';
import { RateLimiter } from './rate-limiter.ts';
import { SendSlots, sendGroup, type GroupContext } from './send-group.ts';

export type DispatcherOptions = {
  db: Db;
  keys: KeyRing;
  clock: Clock;
  channel: Channel;
  publicUrl: string;
  /** Domain of Message-IDs and of the mailto unsubscribe address. */
  mailDomain: string;
  /** Offer the mailto unsubscribe address: only when the inbound listener processes replies. */
  unsubscribeByReply?: boolean;
  /**
   * Where hand-overs are recorded durably (openHandoverLog: the database's table, or a file in
   * the data directory). Default: in memory, for this dispatcher alone (tests).
   */
  handovers?: HandoverLog;
  batchSize?: number;
  /** Messages re-checked together within a group (one transaction each group). */
  groupSize?: number;
  /** Groups in flight at once. */
  parallelGroups?: number;
  leaseMs?: number;
  maxAttempts?: number;
  workerId?: string;
  onError?: (error: unknown) => void;
};

/** After a failed pass the loop waits 1 s, doubling up to 30 s; a pass that succeeds resets it. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

export class Dispatcher {
  readonly #o: Required<Omit<DispatcherOptions, 'onError'>> & Pick<DispatcherOptions, 'onError'>;
  readonly #limiter: RateLimiter;
  readonly #slots: SendSlots;
  #recovered = false;
  #running = false;
  #stopped: Promise<void> = Promise.resolve();
  #wake?: () => void;

  constructor(options: DispatcherOptions) {
    this.#o = {
      batchSize: 200,
      groupSize: 25,
      parallelGroups: 4,
      leaseMs: 120_000,
      maxAttempts: 5,
      unsubscribeByReply: false,
      workerId: `dispatcher-${randomUUID().slice(0, 8)}`,
      handovers: options.handovers ?? new MemoryHandoverLog(),
      ...options,
    };
    this.#limiter = new RateLimiter(options.clock);
    this.#slots = new SendSlots(options.channel.capacity);
  }

  /**
   * Runs until stop(): a batch at a time, sleeping briefly when there is nothing to send. A pass
   * that fails (the database away, say) goes to onError, and the loop tries again after a
   * backoff; it never throws out of here.
   */
  start(idleMs = 1000) {
    if (this.#running) return;
    this.#running = true;
    this.#stopped = (async () => {
      let failures = 0;
      while (this.#running) {
        let wait = 0;
        try {
          const handled = await this.runOnce();
          failures = 0;
          if (handled === 0) wait = idleMs;
        } catch (error) {
          failures++;
          this.#report(error);
          wait = Math.min(RETRY_FIRST_MS * 2 ** (failures - 1), RETRY_MAX_MS);
        }
        if (wait > 0 && this.#running) await this.#sleep(wait);
      }
    })();
  }

  /** Stops after the batch in hand: what was claimed is sent and recorded first. */
  async stop() {
    this.#running = false;
    this.#wake?.();
    await this.#stopped;
  }

  /** Stops, then closes the channel (the SMTP pool) and the hand-over log. */
  async close() {
    await this.stop();
    await this.#o.channel.close();
    await this.#o.handovers.close();
  }

  /** One pass: resolve expired leases, close finished campaigns, claim and send one batch. */
  async runOnce(): Promise<number> {
    const { db, clock, handovers } = this.#o;
    const now = clock();
    if (!this.#recovered) {
      // The embedded database: every row left `sending` is a dead process's (one process holds
      // the data directory), resolved now rather than when its lease runs out.
      if (handovers.exclusive) await resolveAbandoned(db, handovers, now);
      this.#recovered = true;
    }
    await expireLeases(db, handovers, now);
    await closeFinishedCampaigns(db, now);
    await suppressCancelled(db, now);
    let handled = 0;
    for (const campaign of await this.#sendable(now)) {
      handled += await this.#runCampaign(campaign);
      if (handled >= this.#o.batchSize) break;
    }
    await handovers.compact(db);
    return handled;
  }

  #report(error: unknown) {
    try {
      this.#o.onError?.(error);
    } catch {
      // A failing error handler must not end the loop.
    }
  }

  #sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Campaigns sending now: scheduled time reached. */
  async #sendable(now: Date): Promise<Campaign[]> {
    // CAL-1 is per recipient, in their zone: see holdSilenced in sendGroup.
    return this.#o.db
      .select()
      .from(campaigns)
      .where(
        and(
          eq(campaigns.state, 'sending'),
          or(isNull(campaigns.scheduledAt), lte(campaigns.scheduledAt, now)),
        ),
      );
  }

  async #runCampaign(campaign: Campaign): Promise<number> {
    const { db, clock, leaseMs, workerId, handovers } = this.#o;
    const allowance = this.#limiter.allowance(campaign.fromEmail, campaign.ratePerMinute);
    const size = Math.min(this.#o.batchSize, allowance);
    if (size <= 0) return 0;
    const now = clock();
    const rows = await claimBatch(db, {
      campaignId: campaign.id,
      size,
      workerId,
      now,
      leaseUntil: new Date(now.getTime() + leaseMs),
    });
    if (rows.length === 0) return 0;
    this.#limiter.take(campaign.fromEmail, rows.length);
    let release: ClaimedRow[] = rows;
    let failure: { error: unknown } | undefined;
    try {
      const ctx: GroupContext = {
        ...this.#o,
        slots: this.#slots,
        campaign,
        org: await getOrganisation(db, { orgId: campaign.orgId }),
        // CAL-1 in each group, per recipient: a batch started before midnight on the eve stops there.
        silences: await silenceCalendar(db, { orgId: campaign.orgId }),
        attachments: (await campaignAttachmentsOf(db, campaign.id)).map((a) => ({
          filename: a.fileName,
          contentType: a.contentType,
          content: a.content,
        })),
      };
      const groups: ClaimedRow[][] = [];
      for (let i = 0; i < rows.length; i += this.#o.groupSize)
        groups.push(rows.slice(i, i + this.#o.groupSize));
      release = [];
      // A few groups at a time (each its own transaction and connection on PostgreSQL), so that
      // database work and SMTP round trips overlap.
      for (let w = 0; w < groups.length; w += this.#o.parallelGroups) {
        // Let the rest of the process run between waves (an HTTP pause request, say): on the
        // embedded database its queries would otherwise wait for the whole batch.
        if (w > 0) await new Promise((resolve) => setTimeout(resolve, 0));
        const wave = groups.slice(w, w + this.#o.parallelGroups);
        const settled = await Promise.allSettled(wave.map((group) => sendGroup(ctx, group)));
        let stop = false;
        wave.forEach((group, k) => {
          const r = settled[k]!;
          if (r.status === 'fulfilled' && r.value) return;
          // Rolled back (its sends may have gone out), or the campaign no longer sending.
          release.push(...group);
          stop = true;
          if (r.status === 'rejected' && !failure) failure = { error: r.reason };
        });
        if (stop) {
          // Paused, cancelled or failed: the rest of the batch goes back, untouched.
          release.push(...groups.slice(w + this.#o.parallelGroups).flat());
          break;
        }
      }
    } catch (error) {
      failure ??= { error };
    }
    // By the rule: a row handed over before its group failed is `unknown`, the others go back to
    // the queue. If the database is away this throws, and lease expiry does it later.
    if (failure) this.#report(failure.error);
    await releaseClaims(db, handovers, {
      ids: release.map((r) => r.id),
      workerId,
      now: clock(),
    });
    return rows.length;
  }
}
