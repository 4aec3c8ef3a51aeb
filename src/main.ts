// Server entry: config -> database (migrated) -> services -> HTTP -> graceful shutdown.
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.ts';
import { MasterKeyError } from './crypto/master-key.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { ensureBootstrapToken } from './domain/access/api-tokens.ts';
import { createApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import { createServices } from './services.ts';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const services = await createServices(config);

  const token = await ensureBootstrapToken(services.db);
  if (token) {
    // Shown once, on the console only: the database keeps a hash of it.
    process.stdout.write(
      [
        '',
        'First start: this API token is shown once. Keep it safe; it grants full API access.',
        `  ${token}`,
        'Use it as: Authorization: Bearer <token>. Make more with: isoloir token create',
        '',
      ].join('\n') + '\n',
    );
  }

  const app = createApp(services, logger);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info(
      { port: info.port, host: config.host, database: services.database.kind },
      `Isoloir listening on http://${config.host}:${info.port}`,
    );
  });
  server.on('error', async (error) => {
    logger.fatal({ err: error }, 'cannot listen');
    await services.close();
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Stop accepting, let requests in flight finish, then close the database cleanly.
    server.close(async () => {
      await services.close();
      logger.info('stopped');
      process.exit(0);
    });
    // Keep-alive connections would hold close() open: end them once in-flight work has had time.
    setTimeout(() => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }, 2000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof MasterKeyError;
  process.stderr.write(
    `isoloir: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
