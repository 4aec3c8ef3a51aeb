// Service mail against a real SMTP peer: a code mail arrives once, from the organisation at
// rights@<mail domain>, Reply-To its DPO, DKIM-signed when DKIM is set; its payload is dropped
// once sent; temporary failures retry, permanent ones end failed; concurrent senders never send
// one notification twice; SMS rows wait for an SMS channel (issue 16); a code that could not leave
// within its life is dropped, never sent late.
import { eq } from 'drizzle-orm';
import { authenticate } from 'mailauth';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { fakeChannel } from '../../test/sending.ts';
import { dkimKeys, startSmtpSink } from '../../test/smtp-sink.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { notifications, type NotificationKind } from '../db/schema/index.ts';
import { queueNotification } from '../domain/rights/notifications.ts';
import type { Services } from '../services.ts';
import { smtpChannel } from './channels/smtp.ts';
import {
  EXPIRED_UNSENT,
  MAX_ATTEMPTS,
  NO_SMS_CHANNEL,
  retryDelayMs,
  sendDueNotifications,
  sendServiceMail,
} from './notification-sender.ts';

let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const files = tempDir();
const dkim = dkimKeys(files.dir);
let orgId: string;
let now = new Date('2026-12-01T10:00:00Z');
const clock = () => now;

/** The services as the settings make them: SMTP to the sink, with or without DKIM. */
const configured = (withDkim: boolean): Services => ({
  ...s,
  email: {
    ...s.email,
    smtpUrl: sink.url,
    dkim: withDkim ? dkim : undefined,
    publicUrl: 'https://isoloir.exemple-2027.fr',
  },
});

const queue = (
  to: string,
  channel: 'email' | 'sms' = 'email',
  kind: NotificationKind = 'rights_code',
) =>
  s.db.transaction((tx) =>
    queueNotification(tx, {
      keys: s.keys,
      orgId,
      kind,
      channel,
      mail: { to, subject: 'Votre code', text: 'Votre code : 123456' },
      now,
    }),
  );

const row = async (id: number) =>
  (await s.db.select().from(notifications).where(eq(notifications.id, id)))[0]!;

const receivedBy = (to: string) => sink.received.filter((m) => m.to.includes(to));

beforeAll(async () => {
  s = await openTestServices({ clock });
  sink = await startSmtpSink({
    failWith: (to) => (to.startsWith('tmp@') ? 451 : to.startsWith('bad@') ? 550 : undefined),
  });
  orgId = (await makeOrg(s, { dpoEmail: 'dpo@exemple-2027.fr' })).id;
});
afterAll(async () => {
  await sink.close();
  await s.dispose();
  files.remove();
});

describe('service mail (RIGHTS-1)', () => {
  it('delivers a code mail once, from the organisation at rights@ its mail domain, Reply-To the DPO, DKIM-signed, and drops its payload', async () => {
    const id = await queue('alice@exemple.fr');
    expect(await sendServiceMail(configured(true))).toMatchObject({ sent: 1, failed: 0 });
    // A second pass finds nothing: the mail went once.
    expect(await sendServiceMail(configured(true))).toMatchObject({ sent: 0 });
    const got = receivedBy('alice@exemple.fr');
    expect(got).toHaveLength(1);
    expect(got[0]!.to).toEqual(['alice@exemple.fr']);
    expect(got[0]!.from).toBe(`rights@${dkim.domain}`);
    const mail = await simpleParser(got[0]!.raw);
    expect(mail.from?.value).toEqual([
      { name: 'Association Exemple pour 2027', address: `rights@${dkim.domain}` },
    ]);
    expect(mail.replyTo?.value.map((a) => a.address)).toEqual(['dpo@exemple-2027.fr']);
    expect(mail.headers.get('x-isoloir-kind')).toBe('rights_code');
    expect(mail.text).toContain('123456');
    expect(mail.html).toBe(false);
    const verdict = await authenticate(got[0]!.raw, {
      ip: '127.0.0.1',
      helo: 'localhost',
      sender: `rights@${dkim.domain}`,
      resolver: dkim.resolver,
    } as Parameters<typeof authenticate>[1]);
    expect(
      verdict.dkim.results.map((r: { status: { result: string } }) => r.status.result),
    ).toEqual(['pass']);
    expect(await row(id)).toMatchObject({
      state: 'sent',
      payload: null,
      attempts: 1,
      sentAt: now,
      lastError: null,
    });
  });

  it('sends unsigned from rights@ the public host when no DKIM is configured', async () => {
    await queue('bruno@exemple.fr');
    expect(await sendServiceMail(configured(false))).toMatchObject({ sent: 1 });
    const [got] = receivedBy('bruno@exemple.fr');
    expect(got!.from).toBe('rights@isoloir.exemple-2027.fr');
    expect(got!.raw.toString('utf8')).not.toMatch(/^DKIM-Signature:/im);
  });

  it('retries a temporary refusal with backoff and ends failed after five attempts, payload dropped', async () => {
    const id = await queue('tmp@exemple.fr');
    const email = smtpChannel({ url: sink.url });
    const send = () =>
      sendDueNotifications(s.db, {
        keys: s.keys,
        clock,
        email,
        fromAddress: 'rights@exemple-2027.fr',
      });
    try {
      expect(await send()).toMatchObject({ retrying: 1, sent: 0 });
      expect(await row(id)).toMatchObject({
        state: 'queued',
        attempts: 1,
        lastError: 'SMTP 451 at RCPT TO',
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(1)),
      });
      expect((await row(id)).payload).not.toBeNull();
      // Not due yet: nothing is tried again before the backoff.
      expect(await send()).toMatchObject({ retrying: 0 });
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        now = new Date((await row(id)).nextAttemptAt.getTime());
        await send();
      }
      expect(await row(id)).toMatchObject({ state: 'failed', attempts: 5, payload: null });
      expect((await row(id)).lastError).toMatch(/SMTP 451 .*5 attempts/);
    } finally {
      await email.close();
    }
  });

  it('ends a permanent refusal failed at once, its payload dropped', async () => {
    const id = await queue('bad@exemple.fr');
    expect(await sendServiceMail(configured(false))).toMatchObject({ failed: 1, retrying: 0 });
    expect(await row(id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      payload: null,
      lastError: 'SMTP 550 at RCPT TO',
    });
    expect(receivedBy('bad@exemple.fr')).toHaveLength(0);
  });

  it('never sends one notification twice when two senders run at once (FOR UPDATE SKIP LOCKED)', async () => {
    for (let i = 0; i < 24; i++) await queue(`c${i}@exemple.fr`);
    // Each send yields, so that the two passes interleave on the database.
    const channel = fakeChannel(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { ok: true };
    });
    const options = {
      keys: s.keys,
      clock,
      email: channel,
      fromAddress: 'rights@exemple-2027.fr',
      limit: 3,
    };
    const [a, b] = await Promise.all([
      sendDueNotifications(s.db, options),
      sendDueNotifications(s.db, options),
    ]);
    expect(a.sent + b.sent).toBe(24);
    expect(channel.handed).toHaveLength(24);
    expect(new Set(channel.handed).size).toBe(24);
  });

  it('keeps SMS rows queued, saying no SMS channel is configured, until one is given (issue 16)', async () => {
    const id = await queue('+33612345678', 'sms');
    const email = fakeChannel();
    const options = { keys: s.keys, clock, email, fromAddress: 'rights@exemple-2027.fr' };
    expect(await sendDueNotifications(s.db, options)).toMatchObject({ waiting: 1, sent: 0 });
    expect(await row(id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: NO_SMS_CHANNEL,
    });
    expect((await row(id)).payload).not.toBeNull();
    expect(email.handed).toEqual([]);
    const sms = fakeChannel();
    expect(await sendDueNotifications(s.db, { ...options, sms })).toMatchObject({ sent: 1 });
    expect(sms.handed).toEqual(['+33612345678']);
    expect(await row(id)).toMatchObject({ state: 'sent', payload: null });
  });

  it('never sends a code mail past its code’s life (30 minutes): it ends failed, payload dropped, SMS ones waiting for a channel too (RIGHTS-1)', async () => {
    const start = now;
    const staleEmail = await queue('stale@exemple.fr');
    const staleSms = await queue('+33611111111', 'sms');
    const alert = await queue('dpo@exemple-2027.fr', 'email', 'dpo_alert');
    now = new Date(start.getTime() + 2 * 60_000);
    const fresh = await queue('fresh@exemple.fr');
    now = new Date(start.getTime() + 30 * 60_000);
    const email = fakeChannel();
    const pass = await sendDueNotifications(s.db, {
      keys: s.keys,
      clock,
      email,
      fromAddress: 'rights@exemple-2027.fr',
    });
    expect(pass).toMatchObject({ sent: 2, failed: 2 });
    expect(email.handed.sort()).toEqual(['dpo@exemple-2027.fr', 'fresh@exemple.fr']);
    for (const id of [staleEmail, staleSms])
      expect(await row(id)).toMatchObject({
        state: 'failed',
        payload: null,
        lastError: EXPIRED_UNSENT,
        sentAt: null,
      });
    expect(await row(alert)).toMatchObject({ state: 'sent' });
    expect(await row(fresh)).toMatchObject({ state: 'sent' });
  });
});
