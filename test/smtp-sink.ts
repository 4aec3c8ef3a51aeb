// A real SMTP server on loopback (smtp-server) that keeps what it receives, and a DKIM key pair
// with a resolver that publishes its public half, so that mailauth can verify signatures.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export type Received = { from: string; to: string[]; raw: Buffer };

export async function startSmtpSink(
  options: {
    failWith?: (to: string) => number | undefined;
    /** Answers each message's DATA this much later (a slower server: a send that lasts). */
    delayMs?: number;
  } = {},
) {
  const received: Received[] = [];
  /** Every RCPT TO address accepted, in order, whether or not its DATA then arrived (a client
   * killed between RCPT TO and the end of DATA leaves an address here and no message). */
  const offered: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = options.failWith?.(address.address);
      if (code) {
        const error = new Error(`refused ${code}`) as Error & { responseCode: number };
        error.responseCode = code;
        return callback(error);
      }
      offered.push(address.address);
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        if (options.delayMs) setTimeout(callback, options.delayMs);
        else callback();
      });
    },
  });
  // A client killed mid-session resets its connection: expected here, not a test failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    offered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function dkimKeys(dir: string, domain = 'exemple-2027.fr', selector = 'isoloir') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = path.join(dir, 'dkim.pem');
  fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const resolver = async (name: string, type: string) => {
    if (type === 'TXT' && name === `${selector}._domainkey.${domain}`) return [[record]];
    const error = new Error(`no ${type} record for ${name}`) as Error & { code: string };
    error.code = 'ENOTFOUND';
    throw error;
  };
  return { domain, selector, keyFile, resolver };
}
