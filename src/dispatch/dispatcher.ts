// The send engine: the one gate every message passes (architecture: "one gate for every message").
//
// A batch goes in two steps:
//  1. claim: rows of campaigns that may send now are taken with FOR UPDATE SKIP LOCKED (several
//     dispatcher processes can share one PostgreSQL) and marked `sending` with a lease, committed.
//     If the process dies from here on, the lease runs out and the row becomes `unknown`: it is
//     reported, never silently sent again.
//  2. send, a group at a time, each group in one transaction that first locks its contacts
//     FOR SHARE and re-checks consent and the suppression list. An objection must update those
//     contact rows, so it waits for the group to commit: no message leaves after an objection
//     committed (OPT-2). Before each group the campaign's state is read again, so a pause stops
//     the rest of the batch.
// Temporary failures go back to the queue with backoff; permanent ones are recorded as failed.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/open-db.ts';
import { campaigns, outbox } from '../db/schema/index.ts';
import { recordAudit } from '../domain/audit/record-audit.ts';
import { openIdentity } from '../domain/contacts/identity.ts';
import { permitted } from '../domain/contacts/reachability.ts';
import { unsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import { suppressedAmong, suppressionHashes } from '../domain/objections/suppression.ts';
import type { KeyRing } from '../domain/organisations/key-ring.ts';
import { getOrganisation, type Organisation } from '../domain/organisations/organisations.ts';
import { campaignAttachmentsOf, type Campaign } from '../domain/outreach/campaigns.ts';
import { composeEmail } from '../domain/outreach/compose.ts';
import { recordFirstMessages } from '../domain/outreach/first-message.ts';
import { NO_NOTICE_SOURCE } from '../domain/outreach/notice.ts';
import { recipientProvenance } from '../domain/outreach/provenance.ts';
import { silenceCalendar, type SilenceCalendar } from '../domain/outreach/silence.ts';
import type { Clock } from '../domain/validation.ts';
import type { Channel, SendResult } from './channel.ts';
import { holdSilenced } from './hold-silenced.ts';
import { RateLimiter } from './rate-limiter.ts';

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
  batchSize?: number;
  /** Messages sent at once within a group (one transaction each group). */
  groupSize?: number;
  /** Groups in flight at once. */
  parallelGroups?: number;
  leaseMs?: number;
  maxAttempts?: number;
  workerId?: string;
  onError?: (error: unknown) => void;
};

const BACKOFF_BASE_MS = 30_000;

export class Dispatcher {
  readonly #o: Required<Omit<DispatcherOptions, 'onError'>> & Pick<DispatcherOptions, 'onError'>;
  readonly #limiter: RateLimiter;
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
      ...options,
    };
    this.#limiter = new RateLimiter(options.clock);
  }

  /** Runs until stop(): a batch at a time, sleeping briefly when there is nothing to send. */
  start(idleMs = 1000) {
    if (this.#running) return;
    this.#running = true;
    this.#stopped = (async () => {
      while (this.#running) {
        let handled = 0;
        try {
          handled = await this.runOnce();
        } catch (error) {
          this.#o.onError?.(error);
        }
        if (handled === 0 && this.#running)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, idleMs);
            this.#wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
      }
    })();
  }

  /** Stops after the batch in hand: what was claimed is sent and recorded first. */
  async stop() {
    this.#running = false;
    this.#wake?.();
    await this.#stopped;
  }

  /** Stops, then closes the channel (the SMTP pool). */
  async close() {
    await this.stop();
    await this.#o.channel.close();
  }

  /** One pass: expire leases, close finished campaigns, claim and send one batch. */
  async runOnce(): Promise<number> {
    const { db, clock } = this.#o;
    const now = clock();
    await db
      .update(outbox)
      .set({
        state: 'unknown',
        lastError: 'outcome unknown: the dispatcher stopped while sending; not sent again',
        updatedAt: now,
      })
      .where(and(eq(outbox.state, 'sending'), lte(outbox.leaseUntil, now)));
    await db.execute(sql`
      update campaigns k set state = 'done', updated_at = ${now.toISOString()}::timestamptz
      where k.state = 'sending' and not exists (
        select 1 from outbox o where o.campaign_id = k.id and o.state in ('queued', 'sending'))`);
    // Rows put back after a cancel: nothing will send them.
    await db.execute(sql`
      update outbox set state = 'suppressed', last_error = 'campaign cancelled',
        updated_at = ${now.toISOString()}::timestamptz
      where state = 'queued' and campaign_id in (select id from campaigns where state = 'cancelled')`);
    let handled = 0;
    for (const campaign of await this.#sendable(now)) {
      handled += await this.#runCampaign(campaign);
      if (handled >= this.#o.batchSize) break;
    }
    return handled;
  }

  /** Campaigns sending now: scheduled time reached. */
  async #sendable(now: Date): Promise<Campaign[]> {
    const rows = await this.#o.db
      .select()
      .from(campaigns)
      .where(
        and(
          eq(campaigns.state, 'sending'),
          or(isNull(campaigns.scheduledAt), lte(campaigns.scheduledAt, now)),
        ),
      );
    // CAL-1 is per recipient, in their zone: see holdSilenced in #sendGroup.
    return rows;
  }

  async #runCampaign(campaign: Campaign): Promise<number> {
    const { db, clock, leaseMs, workerId } = this.#o;
    const allowance = this.#limiter.allowance(campaign.fromEmail, campaign.ratePerMinute);
    const size = Math.min(this.#o.batchSize, allowance);
    if (size <= 0) return 0;
    const now = clock();
    const claimed = (await db.execute(sql`
      update outbox o set state = 'sending', attempts = o.attempts + 1, claimed_by = ${workerId},
        lease_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
        updated_at = ${now.toISOString()}::timestamptz
      where o.id in (
        select id from outbox
        where campaign_id = ${campaign.id} and state = 'queued'
          and (next_attempt_at is null or next_attempt_at <= ${now.toISOString()}::timestamptz)
        order by id limit ${size}
        for update skip locked)
      returning o.id, o.contact_id, o.message_ref, o.attempts`)) as unknown as {
      rows: { id: number; contact_id: string | null; message_ref: string; attempts: number }[];
    };
    if (claimed.rows.length === 0) return 0;
    this.#limiter.take(campaign.fromEmail, claimed.rows.length);
    const org = await getOrganisation(db, { orgId: campaign.orgId });
    // CAL-1 in each group, per recipient: a batch started before midnight on the eve stops there.
    const silences = await silenceCalendar(db, { orgId: campaign.orgId });
    const attachments = (await campaignAttachmentsOf(db, campaign.id)).map((a) => ({
      filename: a.fileName,
      contentType: a.contentType,
      content: a.content,
    }));
    // bigint ids arrive as strings from node-postgres: numbers from here on.
    const rows = claimed.rows.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
    const groups: (typeof rows)[] = [];
    for (let i = 0; i < rows.length; i += this.#o.groupSize)
      groups.push(rows.slice(i, i + this.#o.groupSize));
    // A few groups at a time (each its own transaction and connection on PostgreSQL), so that
    // database work and SMTP round trips overlap.
    const back: typeof rows = [];
    for (let w = 0; w < groups.length; w += this.#o.parallelGroups) {
      // Let the rest of the process run between waves (an HTTP pause request, say): on the
      // embedded database its queries would otherwise wait for the whole batch.
      if (w > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      const wave = groups.slice(w, w + this.#o.parallelGroups);
      const settled = await Promise.allSettled(
        wave.map((group) => this.#sendGroup(campaign, org, attachments, group, silences)),
      );
      // A group that failed rolled back after its sends may have gone out: its rows stay
      // `sending` and become `unknown` when their lease ends. The rest of the batch goes back.
      const failed = settled.find((r) => r.status === 'rejected');
      wave.forEach((group, k) => {
        const r = settled[k]!;
        if (r.status === 'fulfilled' && !r.value) back.push(...group);
      });
      if (failed || settled.some((r) => r.status === 'fulfilled' && !r.value)) {
        back.push(...groups.slice(w + this.#o.parallelGroups).flat());
        if (failed) this.#o.onError?.((failed as PromiseRejectedResult).reason);
        break;
      }
    }
    if (back.length)
      // Paused or cancelled: what is left of the batch goes back, untouched.
      await db
        .update(outbox)
        .set({
          state: 'queued',
          leaseUntil: null,
          attempts: sql`${outbox.attempts} - 1`,
          updatedAt: clock(),
        })
        .where(
          and(
            inArray(
              outbox.id,
              back.map((r) => r.id),
            ),
            eq(outbox.state, 'sending'),
            eq(outbox.claimedBy, workerId),
          ),
        );
    return rows.length;
  }

  /** One group in one transaction; false when the campaign is no longer sending. */
  async #sendGroup(
    campaign: Campaign,
    org: Organisation,
    attachments: { filename: string; contentType: string; content: Buffer }[],
    group: { id: number; contact_id: string | null; message_ref: string; attempts: number }[],
    silences: SilenceCalendar,
  ): Promise<boolean> {
    const { db, clock, keys, channel } = this.#o;
    return db.transaction(async (tx) => {
      const [state] = await tx
        .select({ state: campaigns.state })
        .from(campaigns)
        .where(eq(campaigns.id, campaign.id));
      if (state?.state !== 'sending') return false;
      // Only rows still ours and in flight: a lease that ran out made them `unknown`, and they
      // are not sent. Locked, and their lease renewed, for the time of this group.
      const now0 = clock();
      const mine = (await tx.execute(sql`
        update outbox set lease_until = ${new Date(now0.getTime() + this.#o.leaseMs).toISOString()}::timestamptz
        where id = any(${sql.param(group.map((g) => g.id))}::bigint[])
          and state = 'sending' and claimed_by = ${this.#o.workerId}
        returning id`)) as unknown as { rows: { id: number | string }[] };
      const owned = new Set(mine.rows.map((r) => Number(r.id)));
      group = group.filter((g) => owned.has(g.id));
      group = await holdSilenced(tx, silences, group, clock()); // CAL-1: back to the queue
      if (group.length === 0) return true;
      // A row with no contact (erased after an objection, OPT-3) is suppressed below.
      const ids = group.flatMap((g) => (g.contact_id ? [g.contact_id] : []));
      // FOR SHARE: an objection (which updates these rows) waits until this group is done.
      const people = (await tx.execute(sql`
        select c.id, c.identity, (${permitted('email')}) as reachable
        from contacts c where c.id = any(${sql.param(ids)}::uuid[]) order by c.id for share`)) as unknown as {
        rows: { id: string; identity: Uint8Array; reachable: boolean }[];
      };
      const orgKeys = await keys.forOrg(tx, org.id);
      const byId = new Map(people.rows.map((p) => [p.id, p]));
      const identities = new Map(
        people.rows.map((p) => [
          p.id,
          openIdentity(orgKeys, org.id, p.id, Buffer.from(p.identity)),
        ]),
      );
      const hashes = [...identities.values()].flatMap((i) => suppressionHashes(orgKeys, i));
      const suppressed = await suppressedAmong(tx, { orgId: org.id, hashes });
      const provenance = await recipientProvenance(tx, ids);
      const now = clock();
      const today = now.toISOString().slice(0, 10);
      const outcomes = await Promise.all(
        group.map(async (row): Promise<{ row: typeof row; result: SendResult | 'suppressed' }> => {
          const person = row.contact_id ? byId.get(row.contact_id) : undefined;
          const identity = row.contact_id ? identities.get(row.contact_id) : undefined;
          const objected =
            !person?.reachable ||
            !identity?.email ||
            suppressionHashes(orgKeys, identity).some((h) => suppressed.has(h.toString('hex')));
          if (objected) return { row, result: 'suppressed' };
          const token = unsubscribeToken(keys.unsubscribeKey(), row.message_ref);
          const origin = provenance.get(row.contact_id!);
          if (!origin) return { row, result: NO_NOTICE_SOURCE };
          let message;
          try {
            message = composeEmail({
              org,
              campaign,
              identity: identity!,
              provenance: origin,
              messageRef: row.message_ref,
              unsubscribeUrl: `${this.#o.publicUrl}/u/${token}`,
              privacyUrl: `${this.#o.publicUrl}/privacy/${org.id}`,
              ...(this.#o.unsubscribeByReply && {
                unsubscribeMailto: `mailto:unsubscribe+${token}@${this.#o.mailDomain}?subject=unsubscribe`,
              }),
              domain: this.#o.mailDomain,
              today,
              attachments,
            });
          } catch (error) {
            // One message that cannot be composed fails alone, never the group.
            return {
              row,
              result: {
                ok: false,
                temporary: false,
                error: `cannot compose: ${error instanceof Error ? error.name : 'error'}`,
              },
            };
          }
          return { row, result: await channel.send(message) };
        }),
      );
      const tally = { sent: 0, failed: 0, retry: 0, suppressed: 0, unknown: 0 };
      const at = clock();
      // Outcomes are written set-wise: one statement for all sent, one for all suppressed; the
      // rarer failures one by one (each keeps its own error and backoff).
      const sentIds: number[] = [];
      const suppressedIds: number[] = [];
      for (const { row, result } of outcomes) {
        if (result === 'suppressed') suppressedIds.push(row.id);
        else if (result.ok) sentIds.push(row.id);
        else if (result.unknown) {
          // The server may have the message: reported, never retried.
          tally.unknown++;
          await tx
            .update(outbox)
            .set({ state: 'unknown', leaseUntil: null, lastError: result.error, updatedAt: at })
            .where(eq(outbox.id, row.id));
        } else if (result.temporary && row.attempts < this.#o.maxAttempts) {
          tally.retry++;
          const wait = BACKOFF_BASE_MS * 2 ** (row.attempts - 1);
          await tx
            .update(outbox)
            .set({
              state: 'queued',
              leaseUntil: null,
              nextAttemptAt: new Date(at.getTime() + wait),
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
        await tx
          .update(outbox)
          .set({ state: 'sent', sentAt: at, leaseUntil: null, lastError: null, updatedAt: at })
          .where(inArray(outbox.id, sentIds));
      // RET-2: the first message sent to each contact, recorded once (its notices used `now`).
      const sentTo = new Set(sentIds);
      await recordFirstMessages(
        tx,
        group.filter((g) => sentTo.has(g.id)).map((g) => g.contact_id!),
        now,
      );
      if (suppressedIds.length)
        await tx
          .update(outbox)
          .set({
            state: 'suppressed',
            lastError: 'objected or no longer reachable',
            leaseUntil: null,
            updatedAt: at,
          })
          .where(inArray(outbox.id, suppressedIds));
      await recordAudit(
        tx,
        {
          actor: `dispatcher:${this.#o.workerId}`,
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
}
