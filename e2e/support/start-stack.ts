import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../tools/test-support/free-port.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface StackPorts {
  api: number;
  dashboard: number;
  smtp: number;
  submission: number;
  smtps: number;
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
  pg: number;
}

export interface Stack {
  readonly ports: StackPorts;
  readonly dataDir: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly process: ChildProcess;
  /** Everything the launcher printed so far. */
  output(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Ctrl-C at a terminal: SIGINT to the whole process group, then wait; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

export interface StartOptions {
  readonly dataDir?: string;
  readonly ports?: StackPorts;
  readonly env?: Record<string, string>;
  readonly adminPassword?: string;
  /** Run against this server instead of an embedded one (DATABASE_URL). */
  readonly databaseUrl?: string;
}

/**
 * Runs the platform exactly as `npm start` does after its build step (node tools/launcher/dist/main.js),
 * on free ports, with an embedded PostgreSQL in a temporary data folder; DATABASE_URL is removed from
 * the environment so the bare-machine path is the one tested, unless `databaseUrl` asks for a server.
 */
export async function startStack(opts: StartOptions = {}): Promise<Stack> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'darwin-e2e-')));
  await chmod(dataDir, 0o755);
  const ports = opts.ports ?? {
    api: await freePort(),
    dashboard: await freePort(),
    smtp: await freePort(),
    submission: await freePort(),
    smtps: await freePort(),
    imap: await freePort(),
    imaps: await freePort(),
    pop3: await freePort(),
    pop3s: await freePort(),
    pg: await freePort(),
  };
  const adminEmail = 'admin@e2e.test';
  const adminPassword = opts.adminPassword ?? 'e2e-admin-password';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DARWIN_DATA_DIR: dataDir,
    DARWIN_API_PORT: String(ports.api),
    DARWIN_DASHBOARD_PORT: String(ports.dashboard),
    DARWIN_SMTP_PORT: String(ports.smtp),
    DARWIN_SUBMISSION_PORT: String(ports.submission),
    DARWIN_SMTPS_PORT: String(ports.smtps),
    DARWIN_IMAP_PORT: String(ports.imap),
    DARWIN_IMAPS_PORT: String(ports.imaps),
    DARWIN_POP3_PORT: String(ports.pop3),
    DARWIN_POP3S_PORT: String(ports.pop3s),
    DARWIN_EMBEDDED_PG_PORT: String(ports.pg),
    DARWIN_ADMIN_EMAIL: adminEmail,
    DARWIN_ADMIN_PASSWORD: adminPassword,
    DARWIN_HOSTNAME: 'mail.e2e.test',
    DARWIN_AUTH_FAILURE_DELAY: '100ms',
    NO_COLOR: '1',
    ...opts.env,
  };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_ADMIN_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  // Its own process group, like a shell job, so interrupt() can do what Ctrl-C does.
  const child = spawn(process.execPath, [join(repoRoot, 'tools/launcher/dist/main.js')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Darwin Mail is running.')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`launcher exited with ${code} before it was ready:\n${out}`));
    });
    setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`launcher not ready after 150 s:\n${out}`));
    }, 150_000).unref();
  });

  return {
    ports,
    dataDir,
    adminEmail,
    adminPassword,
    process: child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    interrupt: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
      return exited;
    },
  };
}
