import { loadConfigOrExit } from '@darwin/config';
import { createDataSource, LoginThrottle, runMigrations, type Query } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore, PgOutboundQueue, removeStaleSpools } from '@darwin/mail-store';
import { startEngine } from './engine.js';

const config = loadConfigOrExit();
const logger = createLogger({ app: 'mail-engine' }, { level: config.logLevel, format: config.logFormat });

if (!config.databaseUrl) {
  logger.error('DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)');
  process.exit(78);
}

if (config.runMigrations) {
  const ds = createDataSource({ url: config.databaseUrl, poolSize: 1, applicationName: 'darwin-engine-migrate' });
  await ds.initialize();
  const applied = await runMigrations(ds);
  if (applied.length > 0) logger.info('migrations applied', { applied });
  await ds.destroy();
}

const staleSpools = await removeStaleSpools();
if (staleSpools > 0) logger.info('removed spool files of processes that died mid-message', { files: staleSpools });

const store = new PgMailStore({ url: config.databaseUrl, poolSize: config.dbPoolSize, applicationName: 'darwin-engine', logger });
const query: Query = async (sql, params) => (await store.pool.query(sql, params)).rows;
const throttle = new LoginThrottle(query, {
  maxFailuresAccount: config.authMaxFailuresAccount,
  maxFailuresIp: config.authMaxFailuresIp,
  windowMs: config.authFailureWindow,
  lockoutMs: config.authLockout,
});
const engine = await startEngine({ config, store, logger, throttle, outboundQueue: new PgOutboundQueue(store.pool) });
logger.info('mail-engine listening', Object.fromEntries(Object.entries(engine.ports).map(([name, port]) => [name, `${config.bindAddress}:${port}`])));

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  // Give open sessions a moment; a hung client must not keep the process alive.
  const force = setTimeout(() => process.exit(0), 5_000);
  force.unref();
  await engine.close().catch((err: unknown) => logger.error('error while closing listeners', { err }));
  await store.close().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
