#!/usr/bin/env node
// POP3 RETR throughput: Darwin Mail's POP3 server against Dovecot, in the same run, with the same
// messages and the same neutral load generator (../shared/bench/mailbench.mjs, scenario pop3-retr).
//
//   npm run build && node apps/mail-engine/bench/pop3-bench.mjs [options]
//
// What it does:
//  1. generates N messages of about --size bytes (the harness's deterministic text generator);
//  2. starts a private embedded PostgreSQL (or uses --database-url, an admin URL), creates a fresh
//     database, migrates it, seeds the bench users (user%04d@bench.test, password benchpass) and
//     delivers every message to each of them through PgMailStore;
//  3. starts our POP3 server from apps/mail-engine/dist in a child process (so its CPU and memory
//     are measured alone), on a free port, configured as main.ts does (login throttle included);
//  4. starts the Dovecot/Postfix lab (../shared/lab/anchor-up.sh) unless it is already up, empties
//     the same users' maildrops there (POP3 DELE) and delivers the same messages over LMTP;
//  5. for each concurrency: a warm-up run against each server, then a measured run against each,
//     with the server trees sampled from /proc (ours: the POP3 process and PostgreSQL; Dovecot:
//     its master and children); prints one JSON line per server and one with the ratios;
//  6. stops what it started (the lab with anchor-down.sh, PostgreSQL, the server).
//
// Options: --messages 1000 --size 10240 --concurrency 1,4 --duration 10 --warmup 3
//          --first-user 951 (users first-user .. first-user+max(concurrency)-1)
//          --engine-dist DIR (default apps/mail-engine/dist) --bench-dir DIR --lab-dir DIR
//          --database-url URL (admin URL of an existing server) --skip-dovecot --keep-lab
//          --variants current,nocache (one server process each, same database:
//            current   as main.ts configures it (DARWIN_BLOB_CACHE, default 64 MiB, and read-ahead);
//            nocache   DARWIN_BLOB_CACHE=0: every message comes from PostgreSQL (read-ahead's bulk
//                      reads), as for mail this process neither delivered nor read before;
//            streaming nocache, and read-ahead finds nothing (readBlobs answers an empty map): one
//                      store query per RETR, what POP3 did before read-ahead)
//          --cpu-prof DIR (profile our servers with node --cpu-prof) --jsonl FILE
//          --hold (set everything up, print the ports and wait for Ctrl-C: for profiling by hand)
import { execFile, fork, spawn } from 'node:child_process';
import { appendFile, chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const run = promisify(execFile);

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  return out;
}

const o = parseArgs(process.argv.slice(2));
const engineDist = resolve(o['engine-dist'] ?? join(repo, 'apps/mail-engine/dist'));
const DOMAIN = 'bench.test';
const PASS = 'benchpass';
const VARIANTS = ['current', 'nocache', 'streaming'];
const userName = (n) => `user${String(n).padStart(4, '0')}@${DOMAIN}`;

if (o.serve) await serve();
else await main();

// ------------------------------------------------------------------------------------------------
// Child process: our POP3 server alone, configured as main.ts configures the engine.

async function serve() {
  const { loadConfig } = await import('@darwin/config');
  const { LoginThrottle } = await import('@darwin/db');
  const { createLogger } = await import('@darwin/logger');
  const { PgMailStore } = await import('@darwin/mail-store');
  const { createPop3Server } = await import(pathToFileURL(join(engineDist, 'pop3/server.js')).href);
  const { Authenticator } = await import(pathToFileURL(join(engineDist, 'auth/authenticator.js')).href);
  const { loadTlsMaterial } = await import(pathToFileURL(join(engineDist, 'tls/tls-material.js')).href);
  const config = loadConfig(process.env);
  const logger = createLogger({ app: 'pop3-bench' }, { level: config.logLevel, format: config.logFormat });
  const store = new PgMailStore({ url: config.databaseUrl, poolSize: config.dbPoolSize, applicationName: 'darwin-pop3-bench', logger, blobCacheBytes: config.blobCacheBytes });
  const query = async (sql, params) => (await store.pool.query(sql, params)).rows;
  const throttle = new LoginThrottle(query, {
    maxFailuresAccount: config.authMaxFailuresAccount,
    maxFailuresIp: config.authMaxFailuresIp,
    windowMs: config.authFailureWindow,
    lockoutMs: config.authLockout,
  });
  if (process.env.POP3_BENCH_VARIANT === 'streaming') store.readBlobs = async () => new Map();
  const auth = new Authenticator({ store, logger, failureDelayMs: config.authFailureDelay, throttle });
  const tls = await loadTlsMaterial(config, logger);
  const server = createPop3Server({ config, store, auth, logger, tls });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  process.send({ port: server.address().port });
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await server.shutdown();
    await store.close();
    process.exit(0);
  });
}

// ------------------------------------------------------------------------------------------------
// Orchestration.

async function main() {
  const benchDir = resolve(o['bench-dir'] ?? join(repo, '../shared/bench'));
  const labDir = resolve(o['lab-dir'] ?? join(repo, '../shared/lab'));
  const count = Number(o.messages ?? 1000);
  const size = Number(o.size ?? 10240);
  const concurrencies = String(o.concurrency ?? '1,4').split(',').map(Number);
  const duration = Number(o.duration ?? 10);
  const warmup = Number(o.warmup ?? 3);
  const firstUser = Number(o['first-user'] ?? 951);
  const userCount = Math.max(...concurrencies);
  // An unknown name would silently measure `current` again (`proposed` was removed once its store
  // changes landed in libs/mail-store): refuse it before anything is started.
  const variants = String(o.variants ?? 'current,nocache').split(',');
  const unknown = variants.filter((v) => !VARIANTS.includes(v));
  if (unknown.length > 0) throw new Error(`unknown --variants ${unknown.join(',')}; known: ${VARIANTS.join(',')}`);
  const users = Array.from({ length: userCount }, (_, i) => userName(firstUser + i));
  const usersPattern = `user%04d@${DOMAIN}:${firstUser}-${firstUser + userCount - 1}`;
  const log = (msg) => process.stderr.write(`[pop3-bench] ${msg}\n`);

  const { makeMessage } = await import(pathToFileURL(join(benchDir, 'lib/common.mjs')).href);
  const messages = Array.from({ length: count }, (_, i) => makeMessage({ from: 'sender@client.test', to: users[0], size, subject: `pop3 bench ${i + 1}` }));
  log(`${count} messages, ${messages.reduce((n, m) => n + m.length, 0)} octets, users ${users[0]} .. ${users.at(-1)}`);

  const cleanups = [];
  const cleanup = async () => {
    for (const f of cleanups.reverse()) await f().catch((err) => log(`cleanup: ${err.message}`));
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    // --- our side: database, seed, server ---
    const work = await mkdtemp(join(tmpdir(), 'pop3-bench-'));
    await chmod(work, 0o755); // PostgreSQL may run as the postgres user (see libs/db embedded.ts)
    cleanups.push(() => rm(work, { recursive: true, force: true }));
    const db = await import('@darwin/db');
    let adminUrl = o['database-url'];
    let pgPid;
    if (!adminUrl) {
      const pg = await db.startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort() });
      cleanups.push(() => pg.stop());
      adminUrl = pg.adminUrl;
      pgPid = Number((await readFile(join(work, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    }
    process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
    const testDb = await db.createTestDatabase();
    cleanups.push(() => testDb.drop());
    const { PgMailStore, spoolBuffer } = await import('@darwin/mail-store');
    const store = new PgMailStore({ url: testDb.url, poolSize: 4 });
    const mailboxIds = [];
    for (const address of users) mailboxIds.push((await db.seedMailbox(testDb.dataSource, { address, password: PASS })).mailboxId);
    const t0 = Date.now();
    for (const m of messages) {
      const out = await store.deliver(await spoolBuffer(m), mailboxIds.map((mailboxId) => ({ mailboxId })));
      if (out.some((r) => r.status !== 'stored')) throw new Error(`delivery failed: ${JSON.stringify(out)}`);
    }
    await store.close();
    await testDb.dataSource.query('VACUUM ANALYZE');
    log(`seeded ${users.length} mailboxes in ${Date.now() - t0} ms`);

    // One server process per variant (see --variants), all on the same database.
    const startServer = async (variant) => {
      const execArgv = o['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(String(o['cpu-prof']), variant)}`] : [];
      const child = fork(fileURLToPath(import.meta.url), ['--serve', '--engine-dist', engineDist], {
        execArgv,
        env: {
          ...process.env,
          DATABASE_URL: testDb.url,
          DARWIN_DATA_DIR: join(work, 'data'),
          DARWIN_PLAINTEXT_AUTH: 'always',
          DARWIN_LOG_LEVEL: 'warn',
          DARWIN_HOSTNAME: 'localhost',
          ...(variant === 'nocache' || variant === 'streaming' ? { DARWIN_BLOB_CACHE: '0' } : {}),
          POP3_BENCH_VARIANT: variant,
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const hello = await new Promise((resolveP, reject) => {
        child.once('message', resolveP);
        child.once('exit', (code) => reject(new Error(`our server (${variant}) exited with ${code}`)));
      });
      cleanups.push(
        () =>
          new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', r);
            child.send('stop');
          }),
      );
      log(`our POP3 server (${variant}): pid ${child.pid}, port ${hello.port}${pgPid ? `, PostgreSQL pid ${pgPid}` : ''}`);
      return { variant, pid: child.pid, port: hello.port };
    };
    const servers = [];
    for (const variant of variants) servers.push(await startServer(variant));

    // --- Dovecot ---
    let dovecot;
    if (!o['skip-dovecot']) {
      const wasUp = await portOpen(11110);
      if (!wasUp) {
        log('starting the lab (anchor-up.sh)');
        await run(join(labDir, 'anchor-up.sh'), [], { maxBuffer: 10_000_000 });
        if (!o['keep-lab']) cleanups.push(() => run(join(labDir, 'anchor-down.sh'), []).then(() => log('lab stopped (anchor-down.sh)')));
      }
      const t1 = Date.now();
      for (const u of users) await emptyPop3(11110, u, PASS);
      await deliverLmtp(11024, users, messages);
      for (const u of users) {
        const n = await pop3Count(11110, u, PASS);
        if (n !== count) throw new Error(`Dovecot: ${u} has ${n} messages, expected ${count}`);
      }
      log(`filled Dovecot in ${Date.now() - t1} ms`);
      dovecot = { port: 11110, pidfile: '/tmp/lab-bench/dovecot/run/master.pid' };
    }

    if (o.hold) {
      // For profiling by hand: everything stays up until Ctrl-C.
      log(`holding: ${servers.map((x) => `${x.variant} on port ${x.port}`).join(', ')}${dovecot ? `, Dovecot on ${dovecot.port}` : ''}; users ${usersPattern}; Ctrl-C to stop`);
      await new Promise(() => {});
    }

    // --- runs ---
    const mailbench = (label, port, serverArgs, conc, secs) =>
      runMailbench(benchDir, ['pop3-retr', '--port', String(port), '--users', usersPattern, '--pass', PASS, '--concurrency', String(conc), '--duration', String(secs), '--label', label, ...serverArgs]);
    const theirs = dovecot ? ['--server-pidfile', dovecot.pidfile] : [];
    for (const conc of concurrencies) {
      // Warm-ups first (JIT, caches), then the measured runs back to back.
      for (const x of servers) await mailbench('warmup', x.port, [], conc, warmup);
      if (dovecot) await mailbench('warmup', dovecot.port, [], conc, warmup);
      const ours = [];
      for (const x of servers) {
        const name = `darwin-${x.variant}`;
        ours.push(summarize(name, conc, await mailbench(`${name}-c${conc}`, x.port, ['--server-pid', [x.pid, pgPid].filter(Boolean).join(',')], conc, duration)));
        await emit(ours.at(-1));
      }
      if (dovecot) {
        const b = summarize('dovecot', conc, await mailbench(`dovecot-c${conc}`, dovecot.port, theirs, conc, duration));
        await emit(b);
        for (const a of ours) {
          await emit({
            ratio: `${a.server}/dovecot c${conc}`,
            concurrency: conc,
            retr_per_s: round(a.retr_per_s / b.retr_per_s, 3),
            p50_ms: round(a.retr_p50_ms / b.retr_p50_ms, 3),
            p99_ms: round(a.retr_p99_ms / b.retr_p99_ms, 3),
            server_cpu_ms_per_retr: round(a.server_cpu_ms_per_retr / b.server_cpu_ms_per_retr, 3),
          });
        }
      }
    }
  } finally {
    await cleanup();
  }
}

/** The figures that matter from one mailbench JSON record. */
function summarize(server, concurrency, rec) {
  const r = rec.results;
  const retr = rec.latency.retr ?? {};
  const trees = Object.values(rec.server ?? {});
  const cpu = trees.reduce((n, t) => n + t.cpu_s, 0);
  return {
    server,
    concurrency,
    retr_per_s: r.msgs_per_s,
    mb_per_s: r.mb_per_s,
    sessions: r.sessions,
    retr_mean_ms: round(retr.mean, 3),
    retr_p50_ms: round(retr.p50, 3),
    retr_p90_ms: round(retr.p90, 3),
    retr_p99_ms: round(retr.p99, 3),
    // Per session (1 per maildrop download): USER+PASS, STAT, QUIT, and the whole session.
    login_p50_ms: round(rec.latency.user_pass?.p50, 2),
    stat_p50_ms: round(rec.latency.stat?.p50, 2),
    quit_p50_ms: round(rec.latency.quit?.p50, 2),
    session_mean_ms: round(rec.latency.session?.mean, 1),
    server_cpu_ms_per_retr: r.msgs ? round((cpu * 1000) / r.msgs, 4) : null,
    server_rss_mb_peak: round(trees.reduce((n, t) => n + (t.rss_mb_peak ?? 0), 0), 1),
    server_pss_mb_end: round(trees.reduce((n, t) => n + (t.pss_mb_end ?? 0), 0), 1),
    server_trees: Object.fromEntries(Object.entries(rec.server ?? {}).map(([k, t]) => [k, { cpu_s: t.cpu_s, rss_mb_peak: t.rss_mb_peak, procs: t.procs_peak }])),
    client_cpu_s: round(rec.client.cpu_user_s + rec.client.cpu_sys_s, 2),
    errors: rec.errors.total,
  };
}

async function emit(line) {
  const text = JSON.stringify(line);
  process.stdout.write(text + '\n');
  if (o.jsonl) await appendFile(o.jsonl, text + '\n');
}

function round(x, d) {
  return typeof x === 'number' && Number.isFinite(x) ? Number(x.toFixed(d)) : null;
}

function runMailbench(benchDir, args) {
  return new Promise((resolveP, reject) => {
    const p = spawn(process.execPath, [join(benchDir, 'mailbench.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1);
      if (code !== 0 || !line) return reject(new Error(`mailbench exited with ${code}`));
      resolveP(JSON.parse(line));
    });
  });
}

function freePort() {
  return new Promise((resolveP, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolveP(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolveP) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolveP(true);
    });
    s.once('error', () => resolveP(false));
  });
}

/** A line-oriented conversation over one socket: `reply()` waits for the next CRLF line. */
async function lineSocket(port) {
  const s = connect(port, '127.0.0.1');
  await new Promise((r, j) => {
    s.once('connect', r);
    s.once('error', j);
  });
  let buf = '';
  let wake;
  s.on('data', (d) => {
    buf += d.toString('latin1');
    wake?.();
  });
  const reply = async () => {
    for (;;) {
      const i = buf.indexOf('\r\n');
      if (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        return line;
      }
      await new Promise((r) => (wake = r));
    }
  };
  return { s, reply, send: (t) => s.write(t) };
}

async function pop3Login(port, user, pass) {
  const c = await lineSocket(port);
  await c.reply();
  c.send(`USER ${user}\r\n`);
  await c.reply();
  c.send(`PASS ${pass}\r\n`);
  const r = await c.reply();
  if (!r.startsWith('+OK')) throw new Error(`POP3 login as ${user}: ${r}`);
  c.send('STAT\r\n');
  return { c, n: Number((await c.reply()).split(' ')[1]) };
}

async function pop3Count(port, user, pass) {
  const { c, n } = await pop3Login(port, user, pass);
  c.send('QUIT\r\n');
  await c.reply();
  c.s.destroy();
  return n;
}

/** Deletes everything in a Dovecot user's maildrop, so each run starts from the same state. */
async function emptyPop3(port, user, pass) {
  const { c, n } = await pop3Login(port, user, pass);
  for (let i = 1; i <= n; i++) c.send(`DELE ${i}\r\n`);
  for (let i = 1; i <= n; i++) await c.reply();
  c.send('QUIT\r\n');
  await c.reply();
  c.s.destroy();
}

/** Delivers each message to every user in one LMTP transaction (RFC 2033). */
async function deliverLmtp(port, users, messages) {
  const c = await lineSocket(port);
  const expect = async (code) => {
    let line;
    do line = await c.reply();
    while (line[3] === '-');
    if (!line.startsWith(code)) throw new Error(`LMTP: expected ${code}, got ${line}`);
  };
  await expect('220');
  c.send('LHLO pop3-bench\r\n');
  await expect('250');
  for (const m of messages) {
    c.send('MAIL FROM:<sender@client.test>\r\n');
    await expect('250');
    for (const u of users) {
      c.send(`RCPT TO:<${u}>\r\n`);
      await expect('250');
    }
    c.send('DATA\r\n');
    await expect('354');
    let s = m.toString('latin1').replace(/^\./, '..').replace(/\r\n\./g, '\r\n..');
    if (!s.endsWith('\r\n')) s += '\r\n';
    c.send(Buffer.from(s + '.\r\n', 'latin1'));
    for (const _ of users) await expect('250');
  }
  c.send('QUIT\r\n');
  c.s.destroy();
}
