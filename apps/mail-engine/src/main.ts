import cluster from 'node:cluster';
import { loadConfigOrExit, type Config } from '@darwin/config';
import { createDataSource, LoginThrottle, runMigrations, type Query } from '@darwin/db';
import { createLogger, type Logger } from '@darwin/logger';
import { PgMailStore, PgOutboundQueue, removeStaleSpools } from '@darwin/mail-store';
import { startEngine } from './engine.js';
import { loadTlsMaterial } from './tls/tls-material.js';

/**
 * The mail engine process. With DARWIN_ENGINE_PROCESSES > 1 this process becomes a small
 * supervisor (Node cluster) that prepares what must happen once (migrations, stale spools, the
 * self-signed certificate) and forks workers that share the listening ports; the workers need
 * nothing from each other, since every piece of shared state is in PostgreSQL (LISTEN/NOTIFY,
 * advisory locks, SKIP LOCKED queue claims).
 */
const config = loadConfigOrExit();
const role = cluster.isPrimary ? 'primary' : `worker-${cluster.worker?.id ?? 0}`;
const logger = createLogger(config.engineProcesses > 1 ? { app: 'mail-engine', proc: role } : { app: 'mail-engine' }, { level: config.logLevel, format: config.logFormat });

if (!config.databaseUrl) {
  logger.error('DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)');
  process.exit(78);
}
const databaseUrl = config.databaseUrl;

async function prepareOnce(): Promise<void> {
  if (config.runMigrations) {
    const ds = createDataSource({ url: databaseUrl, poolSize: 1, applicationName: 'darwin-engine-migrate' });
    await ds.initialize();
    const applied = await runMigrations(ds);
    if (applied.length > 0) logger.info('migrations applied', { applied });
    await ds.destroy();
  }
  const staleSpools = await removeStaleSpools();
  if (staleSpools > 0) logger.info('removed spool files of processes that died mid-message', { files: staleSpools });
}

async function serve(cfg: Config, log: Logger): Promise<void> {
  const store = new PgMailStore({ url: databaseUrl, poolSize: cfg.dbPoolSize, applicationName: 'darwin-engine', logger: log, blobCacheBytes: cfg.blobCacheBytes, summaryCacheBytes: cfg.summaryCacheBytes });
  const query: Query = async (sql, params) => (await store.pool.query(sql, params)).rows;
  const engine = await startEngine({ config: cfg, store, logger: log, throttle: LoginThrottle.fromConfig(query, cfg), outboundQueue: new PgOutboundQueue(store.pool) });
  log.info('mail-engine listening', Object.fromEntries(Object.entries(engine.ports).map(([name, port]) => [name, `${cfg.bindAddress}:${port}`])));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    // Give open sessions a moment; a hung client must not keep the process alive.
    setTimeout(() => process.exit(0), 5_000).unref();
    await engine.close().catch((err: unknown) => log.error('error while closing listeners', { err }));
    await store.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function supervise(count: number): void {
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that dies takes its sessions with it; the launcher (or a service manager) restarts the whole engine.
    logger.error('engine worker died; stopping the engine', { worker: worker.id, code, signal });
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(1), 6_000).unref();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping workers', { signal });
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 6_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (config.engineProcesses > 1 && cluster.isPrimary) {
  await prepareOnce();
  // Generate the self-signed certificate once here, not in N racing workers.
  await loadTlsMaterial(config, logger);
  logger.info('starting engine workers', { processes: config.engineProcesses });
  supervise(config.engineProcesses);
} else {
  if (cluster.isPrimary) await prepareOnce();
  await serve(config, logger);
}
