#!/usr/bin/env node
// SMTP benchmark: durable accepts per second and end-of-data -> 250 latency (p50/p99) with 20
// concurrent connections and 10 KB messages, against our MX and, in the same run, against the
// reference Postfix (delivering into Dovecot over LMTP) of ../shared/lab. Both are driven by the
// same client, ../shared/bench/mailbench.mjs (scenario smtp-accept), so client overhead is equal.
//
//   npm run bench -- smtp [--duration 20] [--concurrency 20] [--size 10240] [--rounds 1] [--no-anchor]
//   node apps/mail-engine/bench/smtp-bench.mjs ...
//
// Postfix answers 250 once the message is in its queue and delivers it into Dovecot (LMTP)
// afterwards; our 250 comes once it is in the mailbox. So after each Postfix run the script waits
// until Postfix's queue is empty, and reports for it also `drain_s`, `delivered_msgs_per_s`
// (accepted / (run + drain)) and the CPU of both trees until then (`cpu_ms_per_msg_incl_delivery`);
// the next round does not start while Postfix is still delivering the previous one's mail.
//
// --rounds N alternates the two servers N times (darwin, postfix, darwin, ...) and compares the
// medians: on a shared machine the load of other work changes from one minute to the next, and
// alternating spreads it over both. Server CPU per message (per process tree: node, postgres;
// master, dovecot) is the steadier figure when the machine is busy.
//
// Environment, to compare and profile: BENCH_ENGINE (another build's main.js), BENCH_ENGINE_ENV
// ("K=V K=V" for the engine, e.g. DARWIN_SMTP_VERIFY=false), BENCH_ENGINE_NODE_ARGS (e.g.
// --cpu-prof), BENCH_SETUP_SQL (run after seeding, e.g. dropping an index to see what it costs).
// The comparison line carries them (engine_env, setup_sql) so results say what they measured.
//
// Needs: the engine built (npx tsc -b apps/mail-engine), a PostgreSQL (DATABASE_URL; a fresh
// database is created and dropped), root for the lab. "Durable": our 250 comes after COMMIT
// (synchronous_commit as configured on the server); Postfix's after its queue file is fsynced.
// Prints one JSON line per server (mailbench's) and one comparison line; appends them to
// $BENCH_RESULTS when set. Timings are measurements, never pass/fail.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shared = process.env.DARWIN_SHARED_DIR ?? join(root, '../shared');
const MAILBENCH = join(shared, 'bench/mailbench.mjs');
const LAB = join(shared, 'lab');
// BENCH_ENGINE: another build of the engine's main.js (e.g. a copy of dist/ to compare two versions)
const ENGINE = process.env.BENCH_ENGINE ?? join(root, 'apps/mail-engine/dist/main.js');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const DURATION = opt('duration', '20');
const CONCURRENCY = opt('concurrency', '20');
const SIZE = opt('size', '10240');
const USERS = 1000;
const anchor = !args.includes('--no-anchor');
const ROUNDS = Math.max(1, Number(opt('rounds', '1')));

function log(...m) {
  process.stderr.write(`# ${m.join(' ')}\n`);
}
function out(obj) {
  const line = JSON.stringify(obj);
  process.stdout.write(line + '\n');
  if (process.env.BENCH_RESULTS) appendFileSync(process.env.BENCH_RESULTS, line + '\n');
}
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A local DNS server answering NXDOMAIN to everything, instantly: sender verification then costs
 * what it costs with a local caching resolver, without depending on the network.
 */
async function startNxdomainDns() {
  const udp = createSocket('udp4');
  udp.on('message', (q, r) => {
    if (q.length < 12) return;
    const a = Buffer.from(q);
    a.writeUInt16BE(0x8000 | (q.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | 3, 2);
    a.writeUInt16BE(0, 6);
    a.writeUInt16BE(0, 8);
    a.writeUInt16BE(0, 10);
    // Keep the header and the question only.
    let p = 12;
    while (p < a.length && a[p] !== 0) p += a[p] + 1;
    udp.send(a.subarray(0, p + 5), r.port, r.address);
  });
  await new Promise((r) => udp.bind(0, '127.0.0.1', r));
  return { server: `127.0.0.1:${udp.address().port}`, close: () => udp.close() };
}

async function seed() {
  const { createTestDatabase, seedMailbox, createDefaultFolders } = await import('@darwin/db');
  const db = await createTestDatabase();
  const first = await seedMailbox(db.dataSource, { address: 'user0001@bench.test', password: 'benchpass' });
  await db.dataSource.transaction(async (m) => {
    const [{ password_hash: hash }] = await m.query('SELECT password_hash FROM mailboxes WHERE id = $1', [first.mailboxId]);
    for (let i = 2; i <= USERS; i++) {
      const local = `user${String(i).padStart(4, '0')}`;
      const [{ id }] = await m.query(
        `INSERT INTO mailboxes (tenant_id, domain_id, local_part, address, password_hash, quota_bytes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [first.tenantId, first.domainId, local, `${local}@bench.test`, hash, 1024 ** 3],
      );
      await createDefaultFolders(m, id);
    }
  });
  return db;
}

async function startEngine(dbUrl, dns) {
  const smtp = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'darwin-bench-'));
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: dbUrl,
    DARWIN_RUN_MIGRATIONS: 'false',
    DARWIN_DATA_DIR: dataDir,
    DARWIN_HOSTNAME: 'mx.bench.test',
    DARWIN_LOG_LEVEL: 'warn',
    DARWIN_LOG_FORMAT: 'json',
    DARWIN_DNS_SERVERS: dns.server,
    DARWIN_QUEUE_WORKERS: '0',
    // The product's default pool (10) unless DARWIN_DB_POOL_SIZE says otherwise: more connections
    // than cores cost Postgres CPU per message (20: +20 % against 10, measured).
    ...(process.env.DARWIN_DB_POOL_SIZE ? { DARWIN_DB_POOL_SIZE: process.env.DARWIN_DB_POOL_SIZE } : {}),
    DARWIN_SMTP_PORT: String(smtp),
    ...Object.fromEntries(['SUBMISSION', 'SMTPS', 'IMAP', 'IMAPS', 'POP3', 'POP3S', 'API'].map((p) => [`DARWIN_${p}_PORT`, '0'])),
    // e.g. BENCH_ENGINE_ENV="DARWIN_SMTP_VERIFY=false DARWIN_ENGINE_PROCESSES=2" to compare settings
    ...Object.fromEntries((process.env.BENCH_ENGINE_ENV ?? '').split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
  // e.g. BENCH_ENGINE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the engine
  const nodeArgs = (process.env.BENCH_ENGINE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ENGINE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`engine exited: ${output}`);
    const up = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(smtp, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (up) return { child, port: smtp, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))), dataDir, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`engine did not listen on ${smtp}: ${output}`);
}

async function mailbench(label, port, extra = []) {
  const argv = [
    MAILBENCH,
    'smtp-accept',
    '--port',
    String(port),
    '--users',
    `user%04d@bench.test:1-${USERS}`,
    '--concurrency',
    CONCURRENCY,
    '--size',
    SIZE,
    '--duration',
    DURATION,
    '--label',
    label,
    ...extra,
  ];
  log(`node ${argv.join(' ')}`);
  // Not spawnSync: this process answers the engine's DNS queries meanwhile.
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const status = await new Promise((r) => child.once('exit', r));
  const line = stdout.trim().split('\n').filter(Boolean).pop();
  if (!line) throw new Error(`mailbench produced no result (exit ${status})`);
  const result = JSON.parse(line);
  out(result);
  return result;
}

function summary(r) {
  const l = r.latency?.data_final_250 ?? {};
  const cpu = r.server ? Object.values(r.server).reduce((sum, s) => sum + (s.cpu_s ?? 0), 0) : undefined;
  const round = (x) => (x === undefined ? undefined : Math.round(x * 100) / 100);
  return {
    msgs_per_s: r.results.msgs_per_s,
    messages: r.results.messages,
    p50_ms: round(l.p50),
    p99_ms: round(l.p99),
    errors: r.errors?.total ?? 0,
    server_cpu_s: round(cpu),
    server_cpu_ms_per_msg: cpu !== undefined && r.results.messages ? round((cpu * 1000) / r.results.messages) : undefined,
    cpu_ms_per_msg_by_process: r.server && r.results.messages ? Object.fromEntries(Object.entries(r.server).map(([k, s]) => [k, round(((s.cpu_s ?? 0) * 1000) / r.results.messages)])) : undefined,
    load_avg_1m: r.machine ? [r.machine.loadavg1_start, r.machine.loadavg1_end] : undefined,
  };
}

function median(xs) {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : Math.round(((v[m - 1] + v[m]) / 2) * 100) / 100;
}

/** One summary from several rounds: the median of each figure, and the rounds themselves. */
function combine(rs) {
  if (rs.length === 1) return rs[0];
  const keys = ['msgs_per_s', 'messages', 'p50_ms', 'p99_ms', 'errors', 'server_cpu_s', 'server_cpu_ms_per_msg', 'drain_s', 'delivered_msgs_per_s', 'cpu_ms_per_msg_incl_delivery'];
  const out = Object.fromEntries(keys.filter((k) => rs.some((r) => r[k] !== undefined)).map((k) => [k, median(rs.map((r) => r[k]))]));
  const procs = [...new Set(rs.flatMap((r) => Object.keys(r.cpu_ms_per_msg_by_process ?? {})))];
  out.cpu_ms_per_msg_by_process = Object.fromEntries(procs.map((k) => [k, median(rs.map((r) => r.cpu_ms_per_msg_by_process?.[k]))]));
  out.rounds = rs.map((r) => ({
    msgs_per_s: r.msgs_per_s,
    p50_ms: r.p50_ms,
    p99_ms: r.p99_ms,
    server_cpu_ms_per_msg: r.server_cpu_ms_per_msg,
    ...(r.drain_s !== undefined ? { drain_s: r.drain_s, delivered_msgs_per_s: r.delivered_msgs_per_s, cpu_ms_per_msg_incl_delivery: r.cpu_ms_per_msg_incl_delivery } : {}),
    load_avg_1m: r.load_avg_1m,
  }));
  return out;
}

const LAB_PIDFILES = ['/tmp/lab-bench/postfix/spool/pid/master.pid', '/tmp/lab-bench/dovecot/run/master.pid'];
const POSTFIX_QUEUES = ['maildrop', 'incoming', 'active', 'deferred'].map((q) => `/tmp/lab-bench/postfix/spool/${q}`);
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds used so far by the process trees under these pids (children reaped are in cutime). */
function treeCpuSeconds(roots) {
  const procs = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, p] of procs) {
    let up = pid;
    for (let hops = 0; up > 1 && !roots.includes(up) && hops < 64; hops++) up = procs.get(up)?.ppid ?? 0;
    if (roots.includes(up)) ticks += p.ticks;
  }
  return ticks / CLK_TCK;
}

function countFiles(dir) {
  let n = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  } catch {
    // not there
  }
  return n;
}

/** Waits until Postfix has delivered everything it accepted (its queue is empty); seconds waited. */
async function drainPostfix(limitS = 600) {
  const t0 = Date.now();
  while (POSTFIX_QUEUES.reduce((n, q) => n + countFiles(q), 0) > 0) {
    if (Date.now() - t0 > limitS * 1000) {
      log(`postfix queue not empty after ${limitS} s`);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return (Date.now() - t0) / 1000;
}

/** One Postfix round: accepts (mailbench), then the delivery of what was accepted. */
async function postfixRound() {
  const roots = LAB_PIDFILES.map((f) => Number(readFileSync(f, 'utf8').trim()));
  const cpu0 = treeCpuSeconds(roots);
  const r = await mailbench('postfix-dovecot', 11025, ['--server-pidfile', LAB_PIDFILES.join(',')]);
  const drain = await drainPostfix();
  const cpu = treeCpuSeconds(roots) - cpu0;
  const s = summary(r);
  log(`postfix-dovecot: queue empty ${drain.toFixed(1)} s after the run`);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    ...s,
    drain_s: round(drain),
    delivered_msgs_per_s: round(r.results.messages / (r.results.elapsed_s + drain)),
    cpu_ms_per_msg_incl_delivery: r.results.messages ? round((cpu * 1000) / r.results.messages) : undefined,
  };
}

function labRunning() {
  const pidFile = '/tmp/lab-bench/postfix/spool/pid/master.pid';
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (!existsSync(ENGINE)) {
  console.error(`${ENGINE} is missing: build first (npx tsc -b apps/mail-engine)`);
  process.exit(2);
}
if (!existsSync(MAILBENCH)) {
  console.error(`${MAILBENCH} not found (set DARWIN_SHARED_DIR)`);
  process.exit(2);
}
// A PostgreSQL of its own, like `npm start` runs one (embedded, PostgreSQL 18), so that other work
// on a shared server (test suites creating databases) does not sit in the measurement; the
// reference lab is dedicated too. BENCH_DATABASE_URL uses an existing server instead.
let embedded;
let pgPid;
if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_ADMIN_URL = process.env.BENCH_DATABASE_URL;
else {
  const { startEmbeddedPostgres } = await import('@darwin/db');
  const dir = mkdtempSync(join(tmpdir(), 'darwin-bench-pg-'));
  spawnSync('chmod', ['755', dir]);
  embedded = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: await freePort() });
  embedded.dir = dir;
  pgPid = readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0].trim();
  process.env.TEST_DATABASE_ADMIN_URL = embedded.adminUrl;
  log(`embedded PostgreSQL pid ${pgPid} on port ${embedded.port}`);
}

const dns = await startNxdomainDns();
log(`seeding ${USERS} mailboxes ...`);
const db = await seed();
// e.g. BENCH_SETUP_SQL='DROP INDEX "IDX_messages_body_trgm"' to measure what an index costs
if (process.env.BENCH_SETUP_SQL) {
  log(`setup SQL: ${process.env.BENCH_SETUP_SQL}`);
  await db.dataSource.query(process.env.BENCH_SETUP_SQL);
}
let engine;
let startedLab = false;
try {
  engine = await startEngine(db.url, dns);
  log(`engine pid ${engine.child.pid} on 127.0.0.1:${engine.port}`);
  if (anchor) {
    if (labRunning()) {
      log('anchor lab already running (someone else started it): using it, leaving it running');
      // Mail still queued by an earlier run would be delivered during ours.
      const left = await drainPostfix();
      if (left > 0.5) log(`waited ${left.toFixed(1)} s for the postfix queue to empty`);
    } else {
      const up = spawnSync(join(LAB, 'anchor-up.sh'), { stdio: ['ignore', 'inherit', 'inherit'] });
      if (up.status !== 0) throw new Error('anchor-up.sh failed');
      startedLab = true;
    }
  }
  const darwin = [];
  const postfix = [];
  let stored = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    if (ROUNDS > 1) log(`round ${round} of ${ROUNDS}`);
    const before = stored;
    const d = await mailbench('darwin', engine.port, ['--server-pid', [engine.child.pid, pgPid].filter(Boolean).join(',')]);
    [{ n: stored }] = await db.dataSource.query('SELECT count(*)::int AS n FROM messages');
    log(`darwin: ${d.results.messages} accepted, ${stored - before} rows stored`);
    darwin.push(summary(d));
    if (anchor) postfix.push(await postfixRound());
  }
  const d = combine(darwin);
  const p = postfix.length > 0 ? combine(postfix) : undefined;
  const ratio = (a, b) => Math.round((a / b) * 100) / 100;
  out({
    ts: new Date().toISOString(),
    scenario: 'smtp-compare',
    params: { concurrency: Number(CONCURRENCY), size: Number(SIZE), duration_s: Number(DURATION), users: USERS, rounds: ROUNDS, engine_env: process.env.BENCH_ENGINE_ENV || undefined, setup_sql: process.env.BENCH_SETUP_SQL || undefined, engine: process.env.BENCH_ENGINE || undefined },
    darwin: { ...d, stored_rows: stored },
    postfix_dovecot: p,
    ratio_msgs_per_s: p ? ratio(d.msgs_per_s, p.msgs_per_s) : undefined,
    ratio_msgs_per_s_by_round: p && ROUNDS > 1 ? darwin.map((x, i) => ratio(x.msgs_per_s, postfix[i].msgs_per_s)) : undefined,
    ratio_server_cpu_ms_per_msg: p ? ratio(d.server_cpu_ms_per_msg, p.server_cpu_ms_per_msg) : undefined,
    // Our 250 means delivered; Postfix's means queued: delivered mail per second, side by side.
    ratio_delivered_msgs_per_s: p ? ratio(d.msgs_per_s, p.delivered_msgs_per_s) : undefined,
    ratio_cpu_ms_per_msg_incl_delivery: p ? ratio(d.server_cpu_ms_per_msg, p.cpu_ms_per_msg_incl_delivery) : undefined,
  });
} finally {
  await engine?.stop();
  if (engine) rmSync(engine.dataDir, { recursive: true, force: true });
  await db.drop();
  dns.close();
  if (embedded) {
    await embedded.stop();
    rmSync(embedded.dir, { recursive: true, force: true });
  }
  if (startedLab) spawnSync(join(LAB, 'anchor-down.sh'), { stdio: ['ignore', 'inherit', 'inherit'] });
}
