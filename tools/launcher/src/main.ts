import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '@darwin/config';
import { bootstrapPlatform, createDataSource, runMigrations, startEmbeddedPostgres, type EmbeddedServer } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { banner } from './banner.js';
import { Child, prefixLines } from './child.js';
import { loadOrCreateSecrets } from './secrets.js';
import { waitForPort } from './wait-for-port.js';

/**
 * `npm start`: the whole platform in one command. Starts an embedded PostgreSQL unless
 * DATABASE_URL is set, migrates, creates the first admin, runs api + dashboard + mail-engine with
 * prefixed logs, and on Ctrl-C / SIGTERM stops them all, the database last.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = loadConfigOrExit();
const log = createLogger({ app: 'launcher' }, { level: config.logLevel, format: config.logFormat });
const dataDir = resolve(process.cwd(), config.dataDir);
const host = config.bindAddress === '0.0.0.0' || config.bindAddress === '::' ? '127.0.0.1' : config.bindAddress;

let embedded: EmbeddedServer | undefined;
const children: Child[] = [];
let stopping = false;
let resolveStopping: () => void = () => {};
const stoppingSignal = new Promise<void>((r) => (resolveStopping = r));

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  resolveStopping();
  log.info('stopping', { apps: children.filter((c) => c.running).map((c) => c.spec.name) });
  await Promise.all(children.map((c) => c.stop()));
  if (embedded) {
    log.info('stopping embedded PostgreSQL');
    await embedded.stop().catch((err: unknown) => log.error('could not stop PostgreSQL cleanly', { err }));
  }
  log.info('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main(): Promise<void> {
  const secrets = config.jwtSecret ? { jwtSecret: config.jwtSecret } : await loadOrCreateSecrets(dataDir);

  let databaseUrl = config.databaseUrl;
  let databaseLabel = 'PostgreSQL from DATABASE_URL';
  if (!databaseUrl) {
    log.info('starting embedded PostgreSQL', { dir: resolve(dataDir, 'postgres'), port: config.embeddedPgPort });
    const pgOut = new PassThrough();
    prefixLines(pgOut, 'postgres', Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
    embedded = await startEmbeddedPostgres({ dir: resolve(dataDir, 'postgres'), port: config.embeddedPgPort, onLog: (l) => pgOut.write(l + '\n') });
    databaseUrl = embedded.url;
    databaseLabel = `embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${resolve(dataDir, 'postgres')}`;
  }
  if (stopping) return;

  const ds = createDataSource({ url: databaseUrl, poolSize: 2, applicationName: 'darwin-launcher' });
  await ds.initialize();
  const applied = await runMigrations(ds);
  if (applied.length > 0) log.info('migrations applied', { applied });
  const boot = await bootstrapPlatform(ds, { adminEmail: config.adminEmail, adminPassword: config.adminPassword, defaultQuotaBytes: config.defaultQuotaBytes });
  await ds.destroy();
  if (stopping) return;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DARWIN_JWT_SECRET: secrets.jwtSecret,
    DARWIN_RUN_MIGRATIONS: 'false',
    DARWIN_API_URL: config.apiUrl ?? `http://${host}:${config.apiPort}`,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const require = createRequire(resolve(root, 'apps/dashboard/package.json'));
  const nextBin = require.resolve('next/dist/bin/next');
  const node = process.execPath;
  children.push(
    new Child({ name: 'api', command: node, args: [resolve(root, 'apps/api/dist/main.js')], env }),
    new Child({ name: 'engine', command: node, args: [resolve(root, 'apps/mail-engine/dist/main.js')], env }),
    new Child({
      name: 'dashboard',
      command: node,
      args: [nextBin, 'start', '-p', String(config.dashboardPort), '-H', config.bindAddress],
      cwd: resolve(root, 'apps/dashboard'),
      // The dashboard talks to the API only; it gets no database URL and no signing key.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LANG: process.env.LANG,
        TZ: process.env.TZ,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        DARWIN_API_URL: env.DARWIN_API_URL,
      },
    }),
  );
  for (const c of children) {
    void c.exited.then((code) => {
      if (stopping) return;
      log.error(`${c.spec.name} exited unexpectedly; stopping everything`, { code });
      void shutdown(1);
    });
  }

  const ports = [config.apiPort, config.dashboardPort, config.smtpPort, config.submissionPort, config.smtpsPort, config.imapPort, config.imapsPort, config.pop3Port, config.pop3sPort];
  await Promise.all(ports.map((p) => waitForPort(host, p, 120_000, stoppingSignal)));
  process.stdout.write(banner({ config, host, database: databaseLabel, admin: boot.createdAdmin }));
}

main().catch((err: unknown) => {
  if (stopping) return;
  log.error('start-up failed', { err: err instanceof Error ? err.message : String(err) });
  void shutdown(1);
});
