import 'reflect-metadata';
import { loadConfigOrExit } from '@darwin/config';
import { createDataSource, runMigrations } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { createApiApp } from './app.factory.js';
import { apiSettingsFrom } from './config/api-settings.js';
import { listen } from './listen.js';

/** Exit code for configuration errors (sysexits.h EX_CONFIG), as loadConfigOrExit uses. */
const EX_CONFIG = 78;
const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ app: 'api' }, { level: config.logLevel, format: config.logFormat });
  if (!config.jwtSecret) {
    process.stderr.write('DARWIN_JWT_SECRET is required (the launcher generates one; set it when starting the API by hand)\n');
    process.exit(EX_CONFIG);
  }
  if (!config.databaseUrl) {
    process.stderr.write('DATABASE_URL is required (the launcher passes its embedded PostgreSQL; set it when starting the API by hand)\n');
    process.exit(EX_CONFIG);
  }

  const settings = apiSettingsFrom(config);

  const dataSource = createDataSource({ url: config.databaseUrl, poolSize: config.dbPoolSize, applicationName: 'darwin-api' });
  await dataSource.initialize();
  if (config.runMigrations) {
    const applied = await runMigrations(dataSource);
    if (applied.length > 0) logger.info('migrations applied', { migrations: applied.join(',') });
  }

  const app = await createApiApp({ config, settings, dataSource, logger });
  const url = await listen(app, config.bindAddress, config.apiPort);
  logger.info('api listening', { url, graphql: `${url}/graphql` });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('api stopping', { signal });
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    void (async () => {
      try {
        await app.close();
        await dataSource.destroy();
        logger.info('api stopped');
        process.exit(0);
      } catch (err) {
        logger.error('error while stopping', { err });
        process.exit(1);
      }
    })();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`api failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
