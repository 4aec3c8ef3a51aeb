// Server entry: config -> database (migrated) -> services -> HTTP -> graceful shutdown.
// Signal handlers come first, so that a SIGTERM during start-up still closes the database.
import { serve, type ServerType } from '@hono/node-server';
import { loadConfig } from './config.ts';
import { describeError, EXIT } from './cli/errors.ts';
import { hasAnyUser } from './domain/access/users.ts';
import { startAuditChainer, type AuditChainer } from './domain/audit/chain-events.ts';
import { createDispatcher, mailDomainOf } from './dispatch/create-dispatcher.ts';
import type { Dispatcher } from './dispatch/dispatcher.ts';
import {
  startNotificationSender,
  type NotificationSender,
} from './dispatch/notification-sender.ts';
import { createApp } from './http/app.ts';
import { sweepSpool } from './http/upload.ts';
import { failAbandonedImports } from './domain/contacts/import/abandoned-imports.ts';
import {
  startAbandonedSweeper,
  type AbandonedSweeper,
} from './domain/contacts/import/abandoned-sweeper.ts';
import {
  startUnsubscribeListener,
  type UnsubscribeListener,
} from './inbound/unsubscribe-listener.ts';
import { WaitAbortedError } from './db/open-db.ts';
import { createLogger } from './logger.ts';
import { createServices, type Services } from './services.ts';

let services: Services | undefined;
let server: ServerType | undefined;
let dispatcher: Dispatcher | undefined;
let notifier: NotificationSender | undefined;
let inbound: UnsubscribeListener | undefined;
let sweeper: AbandonedSweeper | undefined;
let chainer: AuditChainer | undefined;
let stopping = false;
// Aborts the wait for PostgreSQL at start (ISOLOIR_DB_WAIT_SECONDS) when a signal comes.
const startAbort = new AbortController();

async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: shutting down\n`);
  if (!server) {
    // Still starting: whatever is open is closed once start-up returns (see main()); a wait for
    // PostgreSQL ends at once.
    startAbort.abort();
    await notifier?.stop();
    await sweeper?.stop();
    await chainer?.stop();
    if (services) await services.close();
    if (services || !starting) process.exit(0);
    return;
  }
  // Stop accepting, let requests in flight finish, then close the database cleanly.
  server.close(async () => {
    // The batch in hand is sent and recorded before the database closes.
    await dispatcher?.close();
    await notifier?.stop();
    await inbound?.close();
    await sweeper?.stop();
    await chainer?.stop();
    await services?.close();
    process.stderr.write('stopped\n');
    process.exit(0);
  });
  // Keep-alive connections would hold close() open: end them once in-flight work has had time.
  setTimeout(() => {
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  }, 2000).unref();
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

let starting = true;

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // Careless settings that do not stop the start (an unknown ISOLOIR_ variable is often a typo).
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
  // The server creates and migrates the database (like `isoloir migrate`), then checks the key.
  // PostgreSQL may be starting or failing over: the server (only) waits for it a while.
  services = await createServices(config, {
    migrate: 'apply',
    databaseWait: {
      seconds: config.dbWaitSeconds,
      signal: startAbort.signal,
      onWaiting: (reason) =>
        logger.warn(
          { reason, waitSeconds: config.dbWaitSeconds },
          `PostgreSQL cannot be reached yet; waiting up to ${config.dbWaitSeconds} s for it (ISOLOIR_DB_WAIT_SECONDS)`,
        ),
    },
  });
  if (stopping) {
    await services.close();
    process.exit(0);
  }
  // Nothing personal outlives a crash: uploads left in the spool by dead processes go, and the
  // imports they left `running` are marked failed with the reason (abandoned-imports.ts).
  await sweepSpool(services.imports.spoolDir);
  const abandoned = await failAbandonedImports(services.db, {
    kind: services.database.kind,
    clock: services.clock,
  });
  if (abandoned.failed.length > 0)
    logger.warn({ imports: abandoned.failed }, 'imports interrupted by a stop were marked failed');
  // On PostgreSQL an import whose process died shortly before this start still has a fresh beat:
  // swept again every minute, so it does not say `running` until the next start.
  sweeper = startAbandonedSweeper(services.db, {
    kind: services.database.kind,
    clock: services.clock,
    logger,
  });
  // SEC-2: audit events are appended unchained and linked into the chain every second
  // (domain/audit/chain-events.ts); a failed pass (the database away) is retried at the next.
  chainer = startAuditChainer(services.db, {
    onError: (error) =>
      logger.warn(
        { error: { name: (error as Error)?.name, code: (error as { code?: string })?.code } },
        'audit chaining failed; retrying',
      ),
  });

  if (!(await hasAnyUser(services.db))) {
    // No account yet: the first owner is made from this machine, once (no token in any log).
    const local = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/`;
    process.stdout.write(
      [
        '',
        `No staff account yet. Open ${local} in a browser on this machine to create the`,
        'organisation and its owner (first run, with the second factor), or from the command line:',
        '  npm run isoloir -- user create --admin --email you@example.org --name "Your Name"',
        '(on the embedded database, stop this server first: one process at a time opens it).',
        '',
      ].join('\n') + '\n',
    );
  }

  // The send engine runs in the server process (several servers may share one PostgreSQL).
  if (config.email.smtpUrl && !config.email.dkim)
    logger.warn(
      'ISOLOIR_SMTP_URL is set without DKIM: messages and their one-click unsubscribe headers go out unsigned; set ISOLOIR_DKIM_DOMAIN, ISOLOIR_DKIM_SELECTOR and ISOLOIR_DKIM_KEY_FILE',
    );
  dispatcher = createDispatcher(services, { logger });
  dispatcher.start();
  // Service mail (rights codes, replies, the DPO's alerts) through the same channel settings,
  // every 2 s (dispatch/notification-sender.ts).
  notifier = startNotificationSender(services, { logger });

  // Replies to the mailto: unsubscribe address (OPT-1), when this process is the mail domain's MX.
  if (config.inboundSmtp) {
    const mailDomain = mailDomainOf(services.email);
    inbound = await startUnsubscribeListener(services, {
      ...config.inboundSmtp,
      mailDomain,
      logger,
    });
    logger.info(
      { port: inbound.port, host: config.inboundSmtp.host, mailDomain },
      'inbound SMTP for unsubscribe replies listening',
    );
  }

  const app = createApp(services, logger);
  const kind = services.database.kind;
  server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info(
      { port: info.port, host: config.host, database: kind },
      `Isoloir listening on http://${config.host}:${info.port}`,
    );
  });
  starting = false;
  server.on('error', async (error: NodeJS.ErrnoException) => {
    logger.fatal({ error: { name: error.name, code: error.code } }, 'cannot listen');
    // The address is a setting (HOST, PORT): the same exit code as any other environment problem.
    const why =
      error.code === 'EADDRINUSE'
        ? 'the address is in use by another process (another Isoloir server?): stop it or set PORT'
        : error.code === 'EADDRNOTAVAIL'
          ? 'no interface of this machine has that address: check HOST'
          : error.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges): set PORT above 1023'
            : `${error.code ?? error.message}`;
    process.stderr.write(`isoloir: cannot listen on ${config.host}:${config.port}: ${why}\n`);
    await dispatcher?.close().catch(() => {});
    await notifier?.stop().catch(() => {});
    await inbound?.close().catch(() => {});
    await sweeper?.stop().catch(() => {});
    await chainer?.stop().catch(() => {});
    await services?.close().catch(() => {});
    process.exit(EXIT.environment);
  });
}

main().catch(async (error: unknown) => {
  starting = false;
  await dispatcher?.close().catch(() => {});
  await notifier?.stop().catch(() => {});
  await inbound?.close().catch(() => {});
  await sweeper?.stop().catch(() => {});
  await chainer?.stop().catch(() => {});
  await services?.close().catch(() => {});
  // A signal during the wait for PostgreSQL: a stop, not a failure.
  if (error instanceof WaitAbortedError) process.exit(0);
  // The CLI's exit codes: 6 for a setting, the master key, a locked data directory or the database.
  const { line, exitCode } = describeError(error);
  process.stderr.write(`isoloir: ${line.replace(/^error: /, '')}\n`);
  process.exit(exitCode);
});
