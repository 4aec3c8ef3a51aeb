// OPT-1: the server starts the inbound SMTP listener for unsubscribe replies when
// ISOLOIR_INBOUND_SMTP_PORT is set, refuses at RCPT what is not an unsubscribe address, logs
// nothing personal, and stops it on shutdown.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../processes.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-inbound-'));
let server: ServerProcess | undefined;

afterAll(() => {
  server?.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

describe('the inbound SMTP listener in the server (OPT-1)', () => {
  it('OPT-1: starts with ISOLOIR_INBOUND_SMTP_PORT, refuses other addresses at RCPT, and stops on shutdown', async () => {
    const port = await freePort();
    server = await startServer({
      ISOLOIR_DATA_DIR: dataDir,
      ISOLOIR_INBOUND_SMTP_PORT: String(port),
      ISOLOIR_INBOUND_SMTP_HOST: '127.0.0.1',
      ISOLOIR_PUBLIC_URL: 'https://isoloir.exemple-2027.fr',
    });
    expect(server.stderr()).toMatch(/inbound SMTP for unsubscribe replies listening/);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false });
    const refused = (await transport
      .sendMail({
        from: 'someone@exemple.fr',
        to: 'anybody@isoloir.exemple-2027.fr',
        subject: 'x',
        text: 'x',
      })
      .catch((e: unknown) => e)) as { code?: string; responseCode?: number };
    transport.close();
    expect(refused).toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    expect(server.stderr()).not.toMatch(/anybody|someone@/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // Closed: nothing listens any more.
    await expect(
      new Promise((resolve, reject) =>
        net.connect(port, '127.0.0.1').on('connect', resolve).on('error', reject),
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 90_000);
});
