// SMTP through nodemailer's pooled transport, DKIM-signed (RSA-2048) over the headers that matter,
// the one-click unsubscribe headers included. The envelope names exactly one recipient.
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import type { Channel, SendResult } from '../channel.ts';

export type SmtpSettings = {
  url: string;
  dkim?: { domain: string; selector: string; keyFile: string };
  maxConnections?: number;
};

const SIGNED_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post';

/** SMTP replies 4xx and network trouble are worth retrying; 5xx are final. */
function classify(error: unknown): SendResult {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const code = e.responseCode;
  const temporary = code === undefined ? true : code >= 400 && code < 500;
  // The server's reply text may quote the address: keep the code and the error kind only.
  return {
    ok: false,
    temporary,
    error: code !== undefined ? `SMTP ${code}` : `connection: ${e.code ?? 'error'}`,
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
  const transport = nodemailer.createTransport({
    url: settings.url,
    pool: true,
    maxConnections: settings.maxConnections ?? 5,
    maxMessages: Infinity,
    ...(dkim ? { dkim } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: 'smtp',
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
        return classify(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}
