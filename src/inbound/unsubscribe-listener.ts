// OPT-1: replies to the `mailto:` unsubscribe address of every message
// (`unsubscribe+<token>@<mail domain>`, the List-Unsubscribe header) are processed. This inbound
// SMTP listener (smtp-server) is the mail domain's MX, or sits behind it: it accepts mail only for
// an unsubscribe address whose token verifies and names a message; anything else is refused at
// RCPT with 550, so it is no open relay and no mailbox. At the end of DATA the objection is
// recorded (method `email_reply`), through the same path as the link: a replay writes nothing.
// No authentication, no TLS (smtp-server's built-in STARTTLS certificate is a stale self-signed
// one that senders would refuse; the address carries a token, not personal data: a relay with a
// certificate may sit in front), a size cap, and nothing personal logged: the body is never read
// or kept, and smtp-server's own log (which would print addresses) is off.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { safeErrorDescription } from '../db/errors.ts';
import { DomainError } from '../domain/errors.ts';
import { unsubscribe, unsubscribeTarget } from '../domain/objections/unsubscribe.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';

/** A reply needs no more than this; a larger message is refused (552). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export type UnsubscribeListener = { port: number; close(): Promise<void> };

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/** The token of an unsubscribe address of this mail domain, or undefined. */
export function tokenOf(address: string, mailDomain: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== mailDomain.toLowerCase()) return undefined;
  const match = /^unsubscribe\+(.+)$/i.exec(address.slice(0, at));
  return match?.[1];
}

export async function startUnsubscribeListener(
  services: Pick<Services, 'db' | 'keys' | 'clock'>,
  options: { port: number; host: string; mailDomain: string; logger?: Logger },
): Promise<UnsubscribeListener> {
  const { db, keys, clock } = services;
  const { logger, mailDomain } = options;
  const server = new SMTPServer({
    name: mailDomain,
    banner: 'Isoloir: replies to unsubscribe addresses only',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    async onRcptTo(address, _session, callback) {
      const token = tokenOf(address.address, mailDomain);
      try {
        if (token) {
          await unsubscribeTarget(db, { keys, token });
          return callback();
        }
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'not_found')) {
          logger?.error({ error: safeErrorDescription(error) }, 'inbound unsubscribe check failed');
          return callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        }
      }
      callback(smtpError(550, '5.1.1 no such unsubscribe address'));
    },
    onData(stream, session, callback) {
      // The body is not read: the address says everything. It is drained, never kept.
      stream.resume();
      stream.on('end', async () => {
        if (stream.sizeExceeded)
          return callback(smtpError(552, '5.3.4 message too big for an unsubscribe reply'));
        try {
          let recorded = 0;
          for (const rcpt of session.envelope.rcptTo) {
            const token = tokenOf(rcpt.address, mailDomain);
            if (!token) continue;
            const answer = await unsubscribe(db, { keys, token, clock, method: 'email_reply' });
            if (!answer.alreadyRecorded && !answer.noLongerHeld) recorded++;
          }
          logger?.info({ recorded }, 'unsubscribe reply processed');
          callback();
        } catch (error) {
          logger?.error({ error: safeErrorDescription(error) }, 'inbound unsubscribe failed');
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        }
      });
    },
  });
  // A client that drops its connection is not the server's failure.
  server.on('error', (error) =>
    logger?.warn({ error: { name: error.name, message: error.message } }, 'inbound SMTP error'),
  );
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
