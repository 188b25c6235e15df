import type { AddressInfo } from 'node:net';
import { loadConfig } from '@darwin/config';
import { createTestDatabase, LoginThrottle, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore } from '@darwin/mail-store';
import { FakeDns } from '../../../../../tools/test-support/fake-dns.js';
import { Authenticator } from '../../auth/authenticator.js';
import type { EngineContext } from '../../engine-context.js';
import { testTls } from '../../testing/test-engine-context.js';
import type { DarwinSmtpServer } from '../connection.js';
import { createMxServer, createSubmissionServer } from '../server.js';
import { createSmtpServices, type SmtpServices } from '../services.js';

export interface MailboxExtras {
  readonly password?: string;
  readonly quotaBytes?: number;
  readonly forwardTo?: string[];
  readonly forwardKeepCopy?: boolean;
  readonly vacation?: { subject?: string; body: string };
  readonly receiveSuspended?: boolean;
  readonly sendSuspended?: boolean;
  readonly sendPerMinute?: number;
}

export interface SmtpFixture {
  readonly db: TestDatabase;
  readonly store: PgMailStore;
  readonly dns: FakeDns;
  readonly ctx: EngineContext;
  readonly services: SmtpServices;
  readonly certPem: string;
  readonly ports: { readonly mx: number; readonly submission: number; readonly smtps: number };
  mailbox(address: string, extras?: MailboxExtras): Promise<SeededMailbox>;
  alias(source: string, destinations: string[], opts?: { enabled?: boolean }): Promise<void>;
  /** Sets plan limits of the tenant that owns `domain`. */
  plan(domain: string, limits: Partial<Record<'send_per_minute' | 'send_per_hour' | 'send_per_day' | 'max_message_bytes' | 'max_recipients_per_message', number>>): Promise<void>;
  /** Raw messages in a mailbox's INBOX, oldest first. */
  inbox(mailboxId: string): Promise<string[]>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

async function listen(server: DarwinSmtpServer): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.server.address() as AddressInfo).port;
}

/**
 * A fresh database, the Postgres store, a fake DNS server and the three SMTP listeners (MX,
 * submission with STARTTLS, submission with implicit TLS) on free ports, wired like the engine.
 */
export async function startSmtpFixture(env: Record<string, string> = {}): Promise<SmtpFixture> {
  const db = await createTestDatabase();
  const dns = await FakeDns.start();
  const store = new PgMailStore({ url: db.url, poolSize: 8 });
  const config = loadConfig({
    DARWIN_HOSTNAME: 'mx.darwin.test',
    DARWIN_AUTH_FAILURE_DELAY: '10ms',
    DARWIN_PLAINTEXT_AUTH: 'never',
    DARWIN_DNS_SERVERS: dns.server,
    DARWIN_DNS_TIMEOUT: '500ms',
    DARWIN_SMTP_CHECK_TIMEOUT: '3s',
    ...env,
  });
  const logger = createLogger({ app: 'test' }, { level: (process.env.TEST_LOG_LEVEL as 'debug' | undefined) ?? 'error' });
  const query = async <R,>(sql: string, params: unknown[]) => (await store.pool.query(sql, params)).rows as R[];
  const throttle = new LoginThrottle(query, {
    maxFailuresAccount: config.authMaxFailuresAccount,
    maxFailuresIp: config.authMaxFailuresIp,
    windowMs: config.authFailureWindow,
    lockoutMs: config.authLockout,
  });
  const auth = new Authenticator({ store, logger, failureDelayMs: config.authFailureDelay, throttle });
  const tls = await testTls();
  const ctx: EngineContext = { config, store, logger, auth, tls };
  const services = createSmtpServices(ctx);
  const mx = createMxServer(ctx, services);
  const submission = createSubmissionServer(ctx, services, { implicitTls: false });
  const smtps = createSubmissionServer(ctx, services, { implicitTls: true });
  const ports = { mx: await listen(mx), submission: await listen(submission), smtps: await listen(smtps) };

  const fixture: SmtpFixture = {
    db,
    store,
    dns,
    ctx,
    services,
    certPem: tls.certPem,
    ports,
    async mailbox(address, extras = {}) {
      const m = await seedMailbox(db.dataSource, { address, password: extras.password ?? 'a-good-password', quotaBytes: extras.quotaBytes });
      await store.pool.query(
        `UPDATE mailboxes SET forward_to = $2, forward_keep_copy = $3, vacation_enabled = $4, vacation_subject = $5, vacation_body = $6,
                receive_suspended = $7, send_suspended = $8, send_per_minute = $9 WHERE id = $1`,
        [
          m.mailboxId,
          extras.forwardTo ?? [],
          extras.forwardKeepCopy ?? true,
          !!extras.vacation,
          extras.vacation?.subject ?? null,
          extras.vacation?.body ?? null,
          extras.receiveSuspended ?? false,
          extras.sendSuspended ?? false,
          extras.sendPerMinute ?? null,
        ],
      );
      return m;
    },
    async alias(source, destinations, opts = {}) {
      const domain = source.slice(source.lastIndexOf('@') + 1);
      await store.pool.query(
        `INSERT INTO aliases (tenant_id, domain_id, source, destinations, enabled) SELECT tenant_id, id, $2, $3, $4 FROM domains WHERE name = $1`,
        [domain, source, destinations, opts.enabled ?? true],
      );
    },
    async plan(domain, limits) {
      const sets = Object.keys(limits).map((k, i) => `${k} = $${i + 2}`);
      await store.pool.query(
        `UPDATE plans SET ${sets.join(', ')} WHERE id = (SELECT t.plan_id FROM tenants t JOIN domains d ON d.tenant_id = t.id WHERE d.name = $1)`,
        [domain, ...Object.values(limits)],
      );
    },
    async inbox(mailboxId) {
      const inbox = (await store.getFolder(mailboxId, 'INBOX'))!;
      const out: string[] = [];
      for (const m of await store.listMessages(inbox.id)) {
        const parts: Buffer[] = [];
        for await (const c of store.openBlob(m.blobId)) parts.push(c as Buffer);
        out.push(Buffer.concat(parts).toString('utf8'));
      }
      return out;
    },
    async query<R>(sql: string, params: unknown[] = []) {
      return (await store.pool.query(sql, params)).rows as R[];
    },
    async close() {
      await Promise.all([mx, submission, smtps].map((s) => new Promise<void>((r) => s.close(() => r()))));
      await store.close();
      await dns.close();
      await db.drop();
    },
  };
  return fixture;
}
