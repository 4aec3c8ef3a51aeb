// Sends the service mail queued by domain/rights/notifications.ts (RIGHTS-1, REP-1): a rights
// request's one-time code, the replies to a request, the DPO's alerts. Each mail goes to one
// address, from the organisation's name at `rights@<mail domain>`, Reply-To its DPO, text only.
//
// A row is claimed by pushing its next attempt a lease into the future, in one committed
// statement (FOR UPDATE SKIP LOCKED): several servers sharing one PostgreSQL, or a server and a
// command, never hand the same notification over twice. Sent: `sent`, the payload dropped (a
// one-time code is never kept once it left). Refused for good, or after five attempts: `failed`,
// the payload dropped too. A temporary failure is retried with backoff (1, 2, 4, 8 minutes).
// SMS rows wait for an SMS channel (issue 16): without one they stay queued, saying why.
// A one-time code that could not leave within its life (30 minutes after it was queued) is of no
// use to anyone and keeps a sealed code: it ends failed, its payload dropped, never sent late.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open-db.ts';
import { safeErrorDescription } from '../db/errors.ts';
import { notifications, organisations } from '../db/schema/index.ts';
import type { KeyRing } from '../domain/organisations/key-ring.ts';
import type { OutgoingEmail } from '../domain/outreach/compose.ts';
import { openNotificationPayload } from '../domain/rights/notifications.ts';
import { CODE_LIFETIME_MS } from '../domain/rights/codes.ts';
import type { Clock } from '../domain/validation.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';
import type { Channel, SendResult } from './channel.ts';
import { logChannel } from './channels/log.ts';
import { smtpChannel } from './channels/smtp.ts';
import { mailDomainOf } from './create-dispatcher.ts';

export const MAX_ATTEMPTS = 5;
/** How long a claimed row is ours: well above a batch's worst SMTP timeouts. */
const LEASE_MS = 10 * 60_000;
/** The delay before attempt n + 1 after a temporary failure of attempt n. */
export const retryDelayMs = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1);

export const NO_SMS_CHANNEL =
  'no SMS channel is configured (SMS sending comes with issue 16); the message waits, queued';

export const EXPIRED_UNSENT = 'expired before it could be sent';

export type NotificationPass = { sent: number; retrying: number; failed: number; waiting: number };

type Claimed = {
  id: number;
  orgId: string;
  kind: string;
  channel: 'email' | 'sms';
  attempts: number;
  payload: Buffer | null;
  createdAt: Date;
};

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Claims up to `limit` due rows of the given channels: their attempt counted and their next
 * attempt moved a lease ahead, committed. Skips rows another sender holds locked.
 */
async function claimDue(
  db: Db,
  o: { channels: ('email' | 'sms')[]; limit: number; now: Date },
): Promise<Claimed[]> {
  const result = (await db.execute(sql`
    update notifications n set attempts = n.attempts + 1,
      next_attempt_at = ${ts(new Date(o.now.getTime() + LEASE_MS))}
    where n.id in (
      select id from notifications
      where state = 'queued' and next_attempt_at <= ${ts(o.now)}
        and channel = any(${sql.param(o.channels)}::text[])
      order by next_attempt_at, id limit ${o.limit}
      for update skip locked)
    returning n.id, n.org_id, n.kind, n.channel, n.attempts, n.payload, n.created_at`)) as unknown as {
    rows: {
      id: number | string;
      org_id: string;
      kind: string;
      channel: 'email' | 'sms';
      attempts: number;
      payload: Buffer | Uint8Array | null;
      created_at: Date | string;
    }[];
  };
  return result.rows
    .map((r) => ({
      id: Number(r.id),
      orgId: r.org_id,
      kind: r.kind,
      channel: r.channel,
      attempts: Number(r.attempts),
      payload: r.payload ? Buffer.from(r.payload) : null,
      createdAt: new Date(r.created_at),
    }))
    .sort((a, b) => a.id - b.id);
}

/** Final: the mail left (or never will); its payload goes. */
async function finish(db: Db, id: number, state: 'sent' | 'failed', now: Date, error?: string) {
  await db
    .update(notifications)
    .set({
      state,
      payload: null,
      ...(state === 'sent' ? { sentAt: now, lastError: null } : { lastError: error ?? null }),
    })
    .where(eq(notifications.id, id));
}

/**
 * One pass over the due service mail: claimed in batches of `limit` (default 10) until none is
 * left due, each sent through `email` (or `sms`), its outcome recorded. Never throws for a
 * failed send (recorded on the row); a database error propagates.
 */
export async function sendDueNotifications(
  db: Db,
  options: {
    keys: KeyRing;
    clock: Clock;
    email: Channel;
    sms?: Channel;
    fromAddress: string;
    limit?: number;
  },
): Promise<NotificationPass> {
  const pass: NotificationPass = { sent: 0, retrying: 0, failed: 0, waiting: 0 };
  const limit = options.limit ?? 10;
  const channels: ('email' | 'sms')[] = options.sms ? ['email', 'sms'] : ['email'];
  const start = options.clock();
  // Codes past their life, on any channel (SMS ones waiting for a channel too): never sent.
  const expired = await db
    .update(notifications)
    .set({ state: 'failed', payload: null, lastError: EXPIRED_UNSENT })
    .where(
      sql`${notifications.state} = 'queued' and ${notifications.kind} = 'rights_code'
        and ${notifications.createdAt} <= ${ts(new Date(start.getTime() - CODE_LIFETIME_MS))}`,
    )
    .returning({ id: notifications.id });
  pass.failed += expired.length;
  if (!options.sms) {
    // Said once on each waiting row, not rewritten at every pass.
    const waiting = await db
      .update(notifications)
      .set({ lastError: NO_SMS_CHANNEL })
      .where(
        sql`${notifications.state} = 'queued' and ${notifications.channel} = 'sms'
          and ${notifications.lastError} is distinct from ${NO_SMS_CHANNEL}`,
      )
      .returning({ id: notifications.id });
    pass.waiting = waiting.length;
  }
  const orgs = new Map<string, { legalName: string; dpoEmail: string } | null>();
  const orgOf = async (orgId: string) => {
    if (!orgs.has(orgId)) {
      const [org] = await db
        .select({ legalName: organisations.legalName, dpoEmail: organisations.dpoEmail })
        .from(organisations)
        .where(eq(organisations.id, orgId));
      orgs.set(orgId, org ?? null);
    }
    return orgs.get(orgId)!;
  };
  const domain = options.fromAddress.split('@')[1] ?? 'localhost';
  // Each row is claimed once per pass at most: a retried row's next attempt is in the future.
  for (;;) {
    const batch = await claimDue(db, { channels, limit, now: start });
    for (const row of batch) {
      const now = options.clock();
      const org = await orgOf(row.orgId);
      if (
        row.kind === 'rights_code' &&
        now.getTime() >= row.createdAt.getTime() + CODE_LIFETIME_MS
      ) {
        await finish(db, row.id, 'failed', now, EXPIRED_UNSENT);
        pass.failed++;
        continue;
      }
      if (!row.payload || !org) {
        await finish(db, row.id, 'failed', now, !org ? 'organisation gone' : 'no payload');
        pass.failed++;
        continue;
      }
      let mail;
      try {
        mail = await openNotificationPayload(db, options.keys, {
          orgId: row.orgId,
          payload: row.payload,
        });
      } catch {
        await finish(db, row.id, 'failed', now, 'payload unreadable (organisation key)');
        pass.failed++;
        continue;
      }
      const message: OutgoingEmail = {
        from: { name: org.legalName, address: options.fromAddress },
        to: mail.to,
        subject: mail.subject,
        html: '',
        text: mail.text,
        headers: { 'Reply-To': org.dpoEmail, 'X-Isoloir-Kind': row.kind },
        messageId: `<${randomUUID()}@${domain}>`,
        attachments: [],
      };
      const channel = row.channel === 'sms' ? options.sms! : options.email;
      let result: SendResult;
      try {
        result = await channel.send(message);
      } catch (error) {
        result = { ok: false, temporary: true, error: safeErrorDescription(error).name };
      }
      const done = options.clock();
      if (result.ok) {
        await finish(db, row.id, 'sent', done);
        pass.sent++;
      } else if (result.unknown) {
        // The server may have it: not sent again (a code can be asked for again).
        await finish(db, row.id, 'failed', done, `${result.error}; not sent again`);
        pass.failed++;
      } else if (!result.temporary || row.attempts >= MAX_ATTEMPTS) {
        const why = result.temporary ? `${result.error} (${row.attempts} attempts)` : result.error;
        await finish(db, row.id, 'failed', done, why);
        pass.failed++;
      } else {
        await db
          .update(notifications)
          .set({
            lastError: result.error,
            nextAttemptAt: new Date(done.getTime() + retryDelayMs(row.attempts)),
          })
          .where(eq(notifications.id, row.id));
        pass.retrying++;
      }
    }
    if (batch.length < limit) return pass;
  }
}

/** The service mail's sender address: `rights@` the campaigns' mail domain. */
export const serviceFromAddress = (email: Services['email']) => `rights@${mailDomainOf(email)}`;

/** The channel the settings ask for, as for campaigns: SMTP (DKIM-signed when set), else the log. */
export function serviceMailChannel(email: Services['email'], logger?: Logger): Channel {
  return email.smtpUrl
    ? smtpChannel({
        url: email.smtpUrl,
        maxConnections: 1,
        ...(email.dkim ? { dkim: email.dkim } : {}),
      })
    : logChannel(logger);
}

/**
 * For the commands that queue service mail (`isoloir request answer`...): sends what is due
 * through the configured channel, then closes it. What could not leave stays queued for the
 * server's sender (a temporary failure) or is recorded failed.
 */
export async function sendServiceMail(
  services: Services,
  options: { logger?: Logger; sms?: Channel } = {},
): Promise<NotificationPass> {
  const channel = serviceMailChannel(services.email, options.logger);
  try {
    return await sendDueNotifications(services.db, {
      keys: services.keys,
      clock: services.clock,
      email: channel,
      ...(options.sms ? { sms: options.sms } : {}),
      fromAddress: serviceFromAddress(services.email),
    });
  } finally {
    await channel.close();
  }
}

export type NotificationSender = { stop(): Promise<void> };

/**
 * The server's loop: a pass every `intervalMs` (2 s) until stopped; a failed pass (the database
 * away) is reported and retried at the next tick. `stop` waits for the pass in hand, then closes
 * the channel.
 */
export function startNotificationSender(
  services: Services,
  options: {
    logger?: Logger;
    intervalMs?: number;
    channel?: Channel;
    sms?: Channel;
  } = {},
): NotificationSender {
  const intervalMs = options.intervalMs ?? 2000;
  const channel = options.channel ?? serviceMailChannel(services.email, options.logger);
  const fromAddress = serviceFromAddress(services.email);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const tick = () => {
    pass = sendDueNotifications(services.db, {
      keys: services.keys,
      clock: services.clock,
      email: channel,
      ...(options.sms ? { sms: options.sms } : {}),
      fromAddress,
    })
      .then(
        () => undefined,
        (error: unknown) => {
          // Never the raw error: a database error carries the query's parameters.
          options.logger?.warn(
            { error: safeErrorDescription(error) },
            'service mail pass failed; retrying',
          );
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
      await channel.close();
    },
  };
}
