import { loadConfig } from '@darwin/config';
import { createTestDatabase, LoginThrottle, seedMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore } from '@darwin/mail-store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../../../tools/test-support/line-client.js';
import { useCheapHash } from '../auth/test-support/cheap-password.js';
import { startEngine, type RunningEngine } from '../engine.js';
import { RawImapClient } from '../imap/testing/raw-imap-client.js';
import { testTls } from '../testing/test-engine-context.js';
import { PASSWORD } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

// Without the delay a wrong PASS took 60-400 ms on a 2-core machine loaded by other test runs: a
// whole second stands clear of that. The throttle tests make their failures in parallel.
const DELAY_MS = 1_000;
const MAX_FAILURES = 3;
const AUTH_FAILED = '-ERR [AUTH] Authentication failed.';
const IMAP_FAILED = /^L NO \[AUTHENTICATIONFAILED\]/;
const SMTP_FAILED = /^535 /;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/**
 * Failed logins are delayed and counted by the one Authenticator and login throttle of an engine
 * process, whatever the protocol. So this runs a whole engine, wired by startEngine as main.ts
 * wires it (DARWIN_AUTH_* settings, the throttle in PostgreSQL), and speaks IMAP, SMTP and POP3 to it.
 */
describe('POP3 logins: failures delayed, and counted with IMAP and SMTP AUTH', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  let engine: RunningEngine;
  const lineClients: LineClient[] = [];
  const imapClients: RawImapClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url, poolSize: 8 });
    const config = loadConfig({
      DATABASE_URL: db.url,
      DARWIN_HOSTNAME: 'mail.darwin.test',
      DARWIN_PLAINTEXT_AUTH: 'always',
      DARWIN_AUTH_FAILURE_DELAY: `${DELAY_MS}ms`,
      DARWIN_AUTH_MAX_FAILURES_ACCOUNT: String(MAX_FAILURES),
      // Every client here is 127.0.0.1: only the account may be locked out.
      DARWIN_AUTH_MAX_FAILURES_IP: '1000',
      ...Object.fromEntries(['SMTP', 'SUBMISSION', 'SMTPS', 'IMAP', 'IMAPS', 'POP3', 'POP3S'].map((p) => [`DARWIN_${p}_PORT`, '0'])),
    });
    const query = async <R,>(sql: string, params: unknown[]) => (await store.pool.query(sql, params)).rows as R[];
    const logger = createLogger({ app: 'test' }, { level: 'error' });
    engine = await startEngine({ config, store, logger, throttle: LoginThrottle.fromConfig(query, config), tls: await testTls() });
  });
  afterEach(() => {
    Pop3TestClient.destroyAll();
    for (const c of lineClients.splice(0)) c.close();
    for (const c of imapClients.splice(0)) c.close();
  });
  afterAll(async () => {
    await engine?.close();
    await store?.close();
    await db?.drop();
  });

  const mailbox = (address: string) => seedMailbox(db.dataSource, { address, password: PASSWORD });

  async function pop3Login(address: string, password: string): Promise<string> {
    const c = await Pop3TestClient.greeted(engine.ports.pop3);
    expect(await c.command(`USER ${address}`)).toBe('+OK');
    const reply = await c.command(`PASS ${password}`);
    if (reply.startsWith('+OK')) expect(await c.command('QUIT')).toBe('+OK Bye');
    c.destroy();
    return reply;
  }

  async function imapLogin(address: string, password: string): Promise<string> {
    const c = await RawImapClient.connect(engine.ports.imap);
    imapClients.push(c);
    await c.next();
    return (await c.command('L', `LOGIN ${address} "${password}"`)).at(-1)!;
  }

  async function smtpAuth(address: string, password: string): Promise<string> {
    const c = await LineClient.open(engine.ports.submission);
    lineClients.push(c);
    await c.reply();
    await c.command('EHLO client.test');
    return c.command(`AUTH PLAIN ${b64(`\0${address}\0${password}`)}`);
  }

  it(`answers a wrong PASS no sooner than DARWIN_AUTH_FAILURE_DELAY (${DELAY_MS} ms)`, async () => {
    // What the timing must stand clear of, so that it fails without the delay: argon2 (the cheap
    // hash) and opening the engine's database connections (a right login first).
    await useCheapHash(db, (await mailbox('slow@pop.test')).mailboxId);
    expect(await pop3Login('slow@pop.test', PASSWORD)).toBe('+OK Logged in.');
    const c = await Pop3TestClient.greeted(engine.ports.pop3);
    expect(await c.command('USER slow@pop.test')).toBe('+OK');
    const started = performance.now();
    expect(await c.command('PASS not the password')).toBe(AUTH_FAILED);
    // A lower bound only: a loaded machine may take longer, never less (timers fire late, not early).
    expect(performance.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 20);
  });

  it('locks the account for POP3 after failures over IMAP and SMTP AUTH, the right password included', async () => {
    await mailbox('shared@pop.test');
    await mailbox('bystander@pop.test');
    expect(await pop3Login('shared@pop.test', PASSWORD)).toBe('+OK Logged in.');
    // MAX_FAILURES = 3: both protocols' failures are needed to reach it.
    const failures = await Promise.all([imapLogin('shared@pop.test', 'guess 1'), imapLogin('shared@pop.test', 'guess 2'), smtpAuth('shared@pop.test', 'guess 3')]);
    expect(failures).toEqual([expect.stringMatching(IMAP_FAILED), expect.stringMatching(IMAP_FAILED), expect.stringMatching(SMTP_FAILED)]);
    // Over PASS and AUTH; and it is this account that is locked, not the client's address.
    const c = await Pop3TestClient.greeted(engine.ports.pop3);
    const [pass, auth, bystander] = await Promise.all([
      pop3Login('shared@pop.test', PASSWORD),
      c.command(`AUTH PLAIN ${b64(`\0shared@pop.test\0${PASSWORD}`)}`),
      pop3Login('bystander@pop.test', PASSWORD),
    ]);
    expect({ pass, auth, bystander }).toEqual({ pass: AUTH_FAILED, auth: AUTH_FAILED, bystander: '+OK Logged in.' });
  });

  it('counts POP3 failures for IMAP and SMTP AUTH as well', async () => {
    await mailbox('other-way@pop.test');
    const guesses = Array.from({ length: MAX_FAILURES }, (_, i) => pop3Login('other-way@pop.test', `guess ${i}`));
    expect(await Promise.all(guesses)).toEqual(Array(MAX_FAILURES).fill(AUTH_FAILED));
    const [imap, smtp] = await Promise.all([imapLogin('other-way@pop.test', PASSWORD), smtpAuth('other-way@pop.test', PASSWORD)]);
    expect(imap).toMatch(IMAP_FAILED);
    expect(smtp).toMatch(SMTP_FAILED);
  });
});
