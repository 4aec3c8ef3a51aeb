// SMTP through nodemailer's pooled transport, DKIM-signed (RSA-2048) over the headers that matter,
// the one-click unsubscribe headers included. The envelope names exactly one recipient.
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import type { Channel, SendResult } from '../channel.ts';

export type SmtpSettings = {
  url: string;
  dkim?: { domain: string; selector: string; keyFile: string };
  /** Pool connections, default 5: also the channel's capacity (the engine's messages in flight). */
  maxConnections?: number;
};

const SIGNED_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post';

/** Stages before the message is handed over: a failure there means it was not delivered. */
const BEFORE_DATA = new Set([
  'EHLO',
  'HELO',
  'LHLO',
  'STARTTLS',
  'AUTH PLAIN',
  'AUTH LOGIN',
  'MAIL FROM',
  'RCPT TO',
]);

/**
 * SMTP replies 4xx are worth retrying, 5xx are final. Without a reply code, a failure before the
 * message was handed over is retried; after (or at an unknown stage) the outcome is unknown.
 */
export function classifySmtpError(error: unknown): SendResult {
  const e = error as { responseCode?: number; code?: string; command?: string; message?: string };
  const code = e.responseCode;
  // The server's reply text may quote the address: keep the code and the stage only.
  if (code !== undefined)
    return {
      ok: false,
      temporary: code >= 400 && code < 500,
      error: `SMTP ${code} at ${e.command ?? '?'}`,
    };
  // A connection that never opened delivered nothing; one that broke ('CONN') may have.
  const neverConnected = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/.test(
    e.message ?? '',
  );
  const before =
    neverConnected || (e.command !== undefined && BEFORE_DATA.has(e.command.toUpperCase()));
  return before
    ? { ok: false, temporary: true, error: `connection: ${e.code ?? 'error'} at ${e.command}` }
    : {
        ok: false,
        temporary: false,
        unknown: true,
        error: `outcome unknown: ${e.code ?? 'error'} at ${e.command ?? 'an unknown stage'}`,
      };
}

export function smtpChannel(settings: SmtpSettings): Channel {
  const dkim = settings.dkim && {
    domainName: settings.dkim.domain,
    keySelector: settings.dkim.selector,
    // A parsed key object, not the PEM text: the PEM would be parsed again for every signature,
    // which cost more than the RSA signing itself.
    privateKey: createPrivateKey(fs.readFileSync(settings.dkim.keyFile, 'utf8')),
    headerFieldNames: SIGNED_HEADERS,
  };
  const maxConnections = settings.maxConnections ?? 5;
  const transport = nodemailer.createTransport({
    url: settings.url,
    pool: true,
    // Explicit, and the channel's capacity: the engine hands over at most this many messages at
    // once, so none waits in nodemailer's queue.
    maxConnections,
    maxMessages: Infinity,
    // Well below the dispatcher's lease (120 s by default), so that a send never outlives it.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(dkim ? { dkim } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: 'smtp',
    capacity: maxConnections,
    async send(m) {
      try {
        await transport.sendMail({
          from: m.from,
          to: m.to,
          envelope: { from: m.from.address, to: [m.to] },
          subject: m.subject,
          html: m.html,
          text: m.text,
          headers: m.headers,
          messageId: m.messageId,
          attachments: m.attachments,
        });
        return { ok: true };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}
