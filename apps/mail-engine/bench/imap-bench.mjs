#!/usr/bin/env node
// IMAP benchmark: Darwin Mail against the lab's Dovecot in the same run, with the neutral load
// generator ../shared/bench/mailbench.mjs. Prints one JSON line per measurement and a JSON line of
// ratios (Darwin / Dovecot) at the end.
//
//   ../shared/lab/anchor-up.sh          # Dovecot IMAP 11143, Postfix MX 11025 (as root)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node apps/mail-engine/bench/imap-bench.mjs
//
// Options: --messages 10000 (folder size for the fetch runs), --duration 10 (seconds per run),
// --idle 1000 (IDLE connections), --skip-fill (reuse the previous run's Dovecot mailbox),
// --jsonl FILE (also append every JSON line there; default $BENCH_RESULTS, set by `npm run bench`). ENGINE_NODE_ARGS (e.g. "--cpu-prof
// --cpu-prof-dir=/tmp/prof") is passed to the engine's node.
//
// Measured: UID FETCH 1:* (FLAGS ENVELOPE) throughput, UID FETCH 1:* (BODY.PEEK[]) throughput on
// a folder of --messages messages; logins per second (connect, LOGIN, SELECT, NOOP, LOGOUT); RSS
// per idle session with --idle IDLE connections; time from the SMTP 250 to `* n EXISTS`.
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const MAILBENCH = process.env.MAILBENCH ?? resolve(ROOT, '../shared/bench/mailbench.mjs');
const DOVECOT_PIDFILE = process.env.DOVECOT_PIDFILE ?? '/tmp/lab-bench/dovecot/run/master.pid';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const MESSAGES = Number(opt('messages', 10000));
const DURATION = Number(opt('duration', 10));
const IDLE = Number(opt('idle', 1000));
const JSONL = opt('jsonl', process.env.BENCH_RESULTS);
const USERS = 1000;
const PASSWORD = 'benchpass';

function out(obj) {
  const line = JSON.stringify(obj);
  process.stdout.write(`${line}\n`);
  if (JSONL) appendFileSync(JSONL, `${line}\n`);
}
const log = (msg) => process.stderr.write(`# ${msg}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function waitForPort(port, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} did not open`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Runs a mailbench scenario with a raised descriptor limit; returns its JSON result. */
async function mailbench(scenario, params) {
  const argv = [scenario, ...params].map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`).join(' ');
  const { stdout, stderr } = await run('bash', ['-c', `ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec node ${MAILBENCH} ${argv}`], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
  });
  const summary = stderr.split('\n').filter((l) => l.startsWith('# ')).join(' ');
  if (summary) log(`${scenario}: ${summary.replace(/^# /, '')}`);
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (!line) throw new Error(`mailbench ${scenario} printed no result: ${stderr.slice(-500)}`);
  return JSON.parse(line);
}

async function seed(dbUrl) {
  const { createTestDatabase, seedMailbox } = await import(resolve(ROOT, 'libs/db/dist/index.js'));
  process.env.TEST_DATABASE_ADMIN_URL = dbUrl;
  const db = await createTestDatabase();
  const first = await seedMailbox(db.dataSource, { address: 'user0001@bench.test', password: PASSWORD, quotaBytes: 100 * 1024 ** 3 });
  // The other users share the first one's password hash: argon2id 999 more times would only slow the setup.
  await db.dataSource.query(
    `WITH src AS (SELECT * FROM mailboxes WHERE id = $1),
          n AS (SELECT g, 'user' || lpad(g::text, 4, '0') AS local FROM generate_series(2, $2) g)
     INSERT INTO mailboxes (tenant_id, domain_id, local_part, address, password_hash, quota_bytes)
     SELECT src.tenant_id, src.domain_id, n.local, n.local || '@bench.test', src.password_hash, src.quota_bytes FROM src, n`,
    [first.mailboxId, USERS],
  );
  await db.dataSource.query(
    `INSERT INTO folders (mailbox_id, name, special_use, uidvalidity)
     SELECT m.id, f.name, f.special_use, nextval('folder_uidvalidity_seq')
       FROM mailboxes m CROSS JOIN (VALUES ('INBOX', NULL), ('Drafts', '\\Drafts'), ('Sent', '\\Sent'), ('Trash', '\\Trash'), ('Junk', '\\Junk')) AS f(name, special_use)
      WHERE m.id <> $1`,
    [first.mailboxId],
  );
  return db;
}

async function startEngine(dbUrl) {
  const dataDir = mkdtempSync(join(tmpdir(), 'darwin-imap-bench-'));
  const imap = await freePort();
  const smtp = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl,
    DARWIN_DATA_DIR: dataDir,
    DARWIN_RUN_MIGRATIONS: 'false',
    DARWIN_HOSTNAME: 'mail.bench.test',
    DARWIN_BIND_ADDRESS: '127.0.0.1',
    DARWIN_IMAP_PORT: String(imap),
    DARWIN_SMTP_PORT: String(smtp),
    DARWIN_IMAPS_PORT: '0',
    DARWIN_POP3_PORT: '0',
    DARWIN_POP3S_PORT: '0',
    DARWIN_SUBMISSION_PORT: '0',
    DARWIN_SMTPS_PORT: '0',
    DARWIN_PLAINTEXT_AUTH: 'always',
    DARWIN_LOG_LEVEL: 'warn',
    DARWIN_DB_POOL_SIZE: '20',
    // Every load-generator connection comes from 127.0.0.1.
    DARWIN_IMAP_MAX_CONNECTIONS_PER_IP: '100000',
  };
  const child = spawn('bash', ['-c', `ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec node ${process.env.ENGINE_NODE_ARGS ?? ''} ${resolve(ROOT, 'apps/mail-engine/dist/main.js')}`], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(imap);
  return {
    pid: child.pid,
    imap,
    smtp,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const user1 = 'user%04d@bench.test:1-1';

async function measure(name, target) {
  const pid = target.pid ? ['--server-pid', target.pid] : ['--server-pidfile', DOVECOT_PIDFILE];
  const common = ['--port', target.imap, '--label', `${target.name}`, ...pid];
  const results = {};
  const meta = await mailbench('imap-fetch', [...common, '--users', user1, '--concurrency', 1, '--meta', 'FLAGS ENVELOPE', '--max-msgs', 1, '--duration', DURATION]);
  out({ bench: 'imap', server: target.name, measure: 'uid_fetch_flags_envelope', messages: MESSAGES, ...meta });
  results.fetch_envelope_msgs_per_s = meta.results.meta_msgs_per_s;
  results.fetch_envelope_cpu_s = cpu(meta);
  const body = await mailbench('imap-fetch', [...common, '--users', user1, '--concurrency', 1, '--meta', 'FLAGS', '--batch', 0, '--duration', DURATION]);
  out({ bench: 'imap', server: target.name, measure: 'uid_fetch_body', messages: MESSAGES, ...body });
  results.fetch_body_msgs_per_s = body.results.msgs_per_s;
  results.fetch_body_mb_per_s = body.results.mb_per_s;
  // Logins of a few users again and again (Darwin's verified-password cache warm: the protocol
  // path), and of many users (each Darwin login then verifies an argon2id hash; the lab's Dovecot
  // keeps {PLAIN} passwords, so its cost does not change).
  const sessions = await mailbench('imap-sessions', [...common, '--users', 'user%04d@bench.test:2-9', '--concurrency', 8, '--duration', DURATION]);
  out({ bench: 'imap', server: target.name, measure: 'logins', ...sessions });
  results.logins_per_s = sessions.results.logins_per_s;
  const cold = await mailbench('imap-sessions', [...common, '--users', `user%04d@bench.test:10-${USERS}`, '--concurrency', 8, '--duration', DURATION]);
  out({ bench: 'imap', server: target.name, measure: 'logins_many_users', ...cold });
  results.logins_many_users_per_s = cold.results.logins_per_s;
  const idle = await mailbench('imap-idle', [...common, '--users', `user%04d@bench.test:1-${USERS}`, '--clients', IDLE, '--probes', 20, '--smtp-port', target.smtp]);
  out({ bench: 'imap', server: target.name, measure: 'idle', ...idle });
  const mem = Object.values(idle.results.memory ?? {})[0] ?? {};
  results.idle_clients = idle.results.clients_idle;
  results.idle_rss_kb_per_conn = mem.rss_kb_per_conn ?? null;
  results.idle_pss_kb_per_conn = mem.pss_kb_per_conn ?? null;
  results.push_from_250_p50_ms = idle.latency?.push_from_250?.p50 ?? null;
  results.push_from_250_p99_ms = idle.latency?.push_from_250?.p99 ?? null;
  results.errors = { meta: meta.errors?.total ?? 0, body: body.errors?.total ?? 0, sessions: sessions.errors?.total ?? 0, idle: idle.errors?.total ?? 0 };
  out({ bench: 'imap', server: target.name, measure: 'summary', ...results });
  return results;
}

function cpu(r) {
  const s = Object.values(r.server ?? {})[0];
  return s ? s.cpu_s : null;
}

async function main() {
  const dbUrl = process.env.DATABASE_URL;
  if (!dbUrl) throw new Error('DATABASE_URL is required (a PostgreSQL server to create the benchmark database on)');
  if (!existsSync(MAILBENCH)) throw new Error(`mailbench not found at ${MAILBENCH}`);
  await waitForPort(11143, 2000).catch(() => {
    throw new Error('Dovecot is not listening on 127.0.0.1:11143: run ../shared/lab/anchor-up.sh first');
  });
  log('building the engine');
  await run('npx', ['tsc', '-b', 'apps/mail-engine'], { cwd: ROOT });
  log('creating the database and 1000 users');
  const db = await seed(dbUrl);
  let engine;
  try {
    engine = await startEngine(db.url);
    const darwin = { name: 'darwin', imap: engine.imap, smtp: engine.smtp, pid: engine.pid };
    const dovecot = { name: 'dovecot', imap: 11143, smtp: 11025 };
    log(`filling user0001 with ${MESSAGES} messages on both servers (IMAP APPEND)`);
    const fill = ['--users', user1, '--count', MESSAGES, '--reset', '--concurrency', 1];
    if (!flag('skip-fill')) out({ bench: 'imap', server: 'dovecot', measure: 'fill', ...(await mailbench('fill', ['--port', 11143, ...fill])) });
    out({ bench: 'imap', server: 'darwin', measure: 'fill', ...(await mailbench('fill', ['--port', darwin.imap, ...fill])) });
    const d = await measure('dovecot', dovecot);
    const o = await measure('darwin', darwin);
    const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b !== 0 ? Math.round((a / b) * 100) / 100 : null);
    out({
      bench: 'imap',
      measure: 'ratios darwin/dovecot',
      fetch_envelope: ratio(o.fetch_envelope_msgs_per_s, d.fetch_envelope_msgs_per_s),
      fetch_body: ratio(o.fetch_body_msgs_per_s, d.fetch_body_msgs_per_s),
      logins: ratio(o.logins_per_s, d.logins_per_s),
      logins_many_users: ratio(o.logins_many_users_per_s, d.logins_many_users_per_s),
      idle_rss_per_conn: ratio(o.idle_rss_kb_per_conn, d.idle_rss_kb_per_conn),
      idle_pss_per_conn: ratio(o.idle_pss_kb_per_conn, d.idle_pss_kb_per_conn),
      push_p99: ratio(o.push_from_250_p99_ms, d.push_from_250_p99_ms),
      darwin: o,
      dovecot: d,
      targets: { fetch: '>= 1', idle_rss_kb_per_conn: '<= 30', push_p99_ms: '< 50' },
    });
  } finally {
    await engine?.stop();
    await db.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`imap-bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
