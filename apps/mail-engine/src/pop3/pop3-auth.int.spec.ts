import { LoginThrottle } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import type { MailStore } from '@darwin/mail-store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../auth/authenticator.js';
import { PASSWORD, startPop3Fixture, textMessage, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const plain = (user: string, password: string, authzid = '') => b64(`${authzid}\0${user}\0${password}`);
const AUTH_FAILED = '-ERR [AUTH] Authentication failed.';
const NOT_LOGGED_IN = '-ERR Not logged in: send USER and PASS first.';
const USERNAME = '+ VXNlcm5hbWU6'; // "Username:"
const PASSWORD_PROMPT = '+ UGFzc3dvcmQ6'; // "Password:"

describe('POP3 AUTH (RFC 5034, SASL PLAIN and LOGIN) and response codes (RFC 2449, RFC 3206)', () => {
  let fx: Pop3Fixture;
  const user = 'sasl@pop.test';

  beforeAll(async () => {
    fx = await startPop3Fixture();
    const mb = await fx.mailbox(user);
    await fx.deliver(mb.mailboxId, textMessage('s1', 'one\r\n'));
  });
  afterEach(() => Pop3TestClient.destroyAll());
  afterAll(async () => {
    await fx?.close();
  });

  async function expectLoggedIn(c: Pop3TestClient): Promise<void> {
    expect(await c.command('STAT')).toMatch(/^\+OK 1 \d+$/);
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
  }

  it('"AUTH" alone lists the mechanisms, one per line (the discovery old Outlook versions use)', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.lines('AUTH')).toEqual({ status: '+OK', lines: ['PLAIN', 'LOGIN'] });
  });

  it('AUTH PLAIN with an initial response logs in', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('AUTH PLAIN without an initial response: empty challenge "+ ", then the message; mechanism names are case-insensitive', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('AUTH plain')).toBe('+ ');
    expect(await c.command(plain(user, PASSWORD, user))).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('AUTH LOGIN asks for the user name and the password, in base64', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('AUTH LOGIN')).toBe(USERNAME);
    expect(await c.command(b64(user))).toBe(PASSWORD_PROMPT);
    expect(await c.command(b64(PASSWORD))).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('AUTH LOGIN with the user name as initial response asks only for the password', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command(`AUTH LOGIN ${b64(user)}`)).toBe(PASSWORD_PROMPT);
    expect(await c.command(b64(PASSWORD))).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('answers pipelined AUTH, response and commands in order', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    c.sendRaw(`AUTH PLAIN\r\n${plain(user, PASSWORD)}\r\nSTAT\r\nQUIT\r\n`);
    expect(await c.readLine()).toBe('+ ');
    expect(await c.readLine()).toBe('+OK Logged in.');
    expect(await c.readLine()).toMatch(/^\+OK 1 \d+$/);
    expect(await c.readLine()).toBe('+OK Bye');
  });

  it('"*" cancels the exchange at any challenge; the session stays in AUTHORIZATION and may log in after', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('AUTH PLAIN')).toBe('+ ');
    expect(await c.command('*')).toBe('-ERR Authentication cancelled.');
    expect(await c.command('AUTH LOGIN')).toBe(USERNAME);
    expect(await c.command(b64(user))).toBe(PASSWORD_PROMPT);
    expect(await c.command('*')).toBe('-ERR Authentication cancelled.');
    expect(await c.command('STAT')).toBe(NOT_LOGGED_IN);
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('refuses bad base64, malformed messages and other identities with -ERR (each a failed login), and stays usable', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('AUTH PLAIN not!base64')).toBe('-ERR Invalid base64 data in the initial response.');
    expect(await c.command('AUTH PLAIN')).toBe('+ ');
    expect(await c.command('AHVzZXI=AHBhc3M=')).toBe('-ERR Invalid base64 data.');
    expect(await c.command('AUTH PLAIN =')).toBe('-ERR [AUTH] Malformed PLAIN response.');
    expect(await c.command(`AUTH PLAIN ${b64(`${user}\0${PASSWORD}`)}`)).toBe('-ERR [AUTH] Malformed PLAIN response.');
    expect(await c.command('STAT')).toBe(NOT_LOGGED_IN);
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('refuses to log in as another identity (PLAIN authzid), accepts the same one', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD, 'other@pop.test')}`)).toBe('-ERR [AUTH] Logging in as another user is not supported.');
    expect(await c.command('STAT')).toBe(NOT_LOGGED_IN);
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD, user.toUpperCase())}`)).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('a refused exchange leaves the session usable for USER/PASS', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('AUTH PLAIN not!base64')).toBe('-ERR Invalid base64 data in the initial response.');
    await c.login(user, PASSWORD);
    await expectLoggedIn(c);
  });

  it('answers wrong passwords and unknown users alike with [AUTH], and hangs up after 5 failures', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command(`AUTH PLAIN ${plain(user, 'wrong')}`)).toBe(AUTH_FAILED);
    expect(await c.command(`AUTH PLAIN ${plain('nobody@pop.test', PASSWORD)}`)).toBe(AUTH_FAILED);
    expect(await c.command('AUTH LOGIN')).toBe(USERNAME);
    expect(await c.command(b64(user))).toBe(PASSWORD_PROMPT);
    expect(await c.command(b64('wrong'))).toBe(AUTH_FAILED);
    expect(await c.command('AUTH PLAIN ###')).toBe('-ERR Invalid base64 data in the initial response.');
    expect(await c.command(`AUTH PLAIN ${plain(user, 'wrong again')}`)).toBe(AUTH_FAILED);
    await c.expectClosed();
  });

  it('refuses unknown mechanisms, extra arguments, and AUTH after login', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('AUTH CRAM-MD5')).toBe('-ERR Unsupported authentication mechanism.');
    expect(await c.command('AUTH PLAIN a b')).toBe('-ERR Too many arguments.');
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('+OK Logged in.');
    expect(await c.command('AUTH PLAIN')).toBe('-ERR Not allowed after login.');
    expect(await c.command('AUTH')).toBe('-ERR Not allowed after login.');
    await expectLoggedIn(c);
  });

  it('takes SASL responses longer than a command line (up to 4096 octets), refuses longer ones and goes on', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('AUTH PLAIN')).toBe('+ ');
    const long = plain(user, 'x'.repeat(1_000));
    expect(long.length).toBeGreaterThan(255);
    expect(await c.command(long)).toBe(AUTH_FAILED);
    expect(await c.command('AUTH PLAIN')).toBe('+ ');
    expect(await c.command('A'.repeat(5_000))).toBe('-ERR SASL response too long.');
    // Back to the command limit for commands.
    expect(await c.command('NOOP ' + 'x'.repeat(300))).toBe('-ERR Line too long (more than 255 octets).');
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('+OK Logged in.');
    await expectLoggedIn(c);
  });

  it('says goodbye at the pre-login timeout while waiting for a SASL response', async () => {
    const quick = await fx.listen({ DARWIN_PREAUTH_TIMEOUT: '300ms' });
    const c = await Pop3TestClient.greeted(quick.port);
    expect(await c.command('AUTH LOGIN')).toBe(USERNAME);
    expect(await c.readLine()).toBe('-ERR Disconnected for inactivity.');
    await c.expectClosed();
    await quick.stop();
  });

  it('answers [IN-USE] to AUTH when another session holds the maildrop', async () => {
    const first = await Pop3TestClient.greeted(fx.port);
    await first.login(user, PASSWORD);
    const second = await Pop3TestClient.greeted(fx.port);
    expect(await second.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('-ERR [IN-USE] Mailbox is locked by another POP3 session.');
    expect(await second.command('STAT')).toBe(NOT_LOGGED_IN);
    await first.command('QUIT');
    expect(await second.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('+OK Logged in.');
    await expectLoggedIn(second);
  });

  it('answers [AUTH] with a sentence when POP3 is turned off for the mailbox, over AUTH as over PASS', async () => {
    const mb = await fx.mailbox('off@pop.test');
    await fx.db.dataSource.query('UPDATE mailboxes SET pop3_enabled = false WHERE id = $1', [mb.mailboxId]);
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command(`AUTH PLAIN ${plain('off@pop.test', PASSWORD)}`)).toBe('-ERR [AUTH] POP3 is not enabled for this mailbox.');
    expect(await c.command('USER off@pop.test')).toBe('+OK');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR [AUTH] POP3 is not enabled for this mailbox.');
  });

  it('follows the plan\'s POP3 switch for mailboxes that do not set their own', async () => {
    const mb = await fx.mailbox('someone@planoff.test');
    const [row] = (await fx.db.dataSource.query('SELECT pop3_enabled FROM mailboxes WHERE id = $1', [mb.mailboxId])) as { pop3_enabled: boolean | null }[];
    expect(row?.pop3_enabled).toBeNull();
    await fx.db.dataSource.query(
      `UPDATE plans SET pop3_enabled = false WHERE id = (SELECT t.plan_id FROM tenants t JOIN domains d ON d.tenant_id = t.id WHERE d.name = 'planoff.test')`,
    );
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command(`AUTH PLAIN ${plain('someone@planoff.test', PASSWORD)}`)).toBe('-ERR [AUTH] POP3 is not enabled for this mailbox.');
    // The mailbox's own setting wins over the plan's.
    await fx.db.dataSource.query('UPDATE mailboxes SET pop3_enabled = true WHERE id = $1', [mb.mailboxId]);
    expect(await c.command(`AUTH PLAIN ${plain('someone@planoff.test', PASSWORD)}`)).toBe('+OK Logged in.');
    await c.command('QUIT');
  });

  it('answers [SYS/TEMP] when the store fails at login, and [SYS/PERM] when the mailbox cannot be opened at all', async () => {
    const failing: MailStore = Object.assign(Object.create(fx.store) as MailStore, {
      lockMaildrop: async () => {
        throw new Error('database unavailable');
      },
    });
    const broken = await fx.listen({}, { store: failing, logger: createLogger({}, { level: 'error', write: () => {} }) });
    const c = await Pop3TestClient.greeted(broken.port);
    expect(await c.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('-ERR [SYS/TEMP] Temporary server failure, try again later.');
    expect(await c.command(`USER ${user}`)).toBe('+OK');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR [SYS/TEMP] Temporary server failure, try again later.');
    await broken.stop();

    const throwing = new Authenticator({ store: fx.store, logger: createLogger({}, { level: 'error', write: () => {} }), failureDelayMs: 1 });
    throwing.login = async () => {
      throw new Error('argon2 worker died');
    };
    const noAuth = await fx.listen({}, { auth: throwing, logger: createLogger({}, { level: 'error', write: () => {} }) });
    const d = await Pop3TestClient.greeted(noAuth.port);
    expect(await d.command(`AUTH PLAIN ${plain(user, PASSWORD)}`)).toBe('-ERR [SYS/TEMP] Temporary server failure, try again later.');
    await noAuth.stop();

    const mb = await fx.mailbox('noinbox@pop.test');
    await fx.db.dataSource.query(`DELETE FROM folders WHERE mailbox_id = $1 AND name = 'INBOX'`, [mb.mailboxId]);
    const quiet = await fx.listen({}, { logger: createLogger({}, { level: 'error', write: () => {} }) });
    const e = await Pop3TestClient.greeted(quiet.port);
    expect(await e.command(`AUTH PLAIN ${plain('noinbox@pop.test', PASSWORD)}`)).toBe(
      '-ERR [SYS/PERM] This mailbox cannot be opened (it has no INBOX); contact your provider.',
    );
    // The lock was given back: another try gets the same answer, not [IN-USE].
    expect(await e.command(`AUTH PLAIN ${plain('noinbox@pop.test', PASSWORD)}`)).toMatch(/^-ERR \[SYS\/PERM\]/);
    await quiet.stop();
  });

  it('gives the lock back when the INBOX lookup (made while the lock is being taken) fails', async () => {
    await fx.mailbox('folderfail@pop.test');
    let fail = true;
    const flaky: MailStore = Object.assign(Object.create(fx.store) as MailStore, {
      getFolder: async (...args: Parameters<MailStore['getFolder']>) => {
        if (fail) throw new Error('database unavailable');
        return fx.store.getFolder(...args);
      },
    });
    const l = await fx.listen({}, { store: flaky, logger: createLogger({}, { level: 'error', write: () => {} }) });
    const c = await Pop3TestClient.greeted(l.port);
    expect(await c.command(`AUTH PLAIN ${plain('folderfail@pop.test', PASSWORD)}`)).toBe('-ERR [SYS/TEMP] Temporary server failure, try again later.');
    fail = false;
    // Not [IN-USE]: the failed attempt released the lock it had taken.
    expect(await c.command(`AUTH PLAIN ${plain('folderfail@pop.test', PASSWORD)}`)).toBe('+OK Logged in.');
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await l.stop();
  });

  it('answers a login locked out by the shared throttle exactly like a wrong password, even with the right one', async () => {
    await fx.mailbox('throttled@pop.test');
    const throttle = new LoginThrottle((sql, params) => fx.db.dataSource.query(sql, params), {
      maxFailuresAccount: 2,
      maxFailuresIp: 100,
      windowMs: 60_000,
      lockoutMs: 60_000,
    });
    const auth = new Authenticator({ store: fx.store, logger: createLogger({}, { level: 'error', write: () => {} }), failureDelayMs: 1, throttle });
    const l = await fx.listen({}, { auth });
    const c = await Pop3TestClient.greeted(l.port);
    expect(await c.command(`AUTH PLAIN ${plain('throttled@pop.test', 'guess1')}`)).toBe(AUTH_FAILED);
    expect(await c.command('USER throttled@pop.test')).toBe('+OK');
    expect(await c.command('PASS guess2')).toBe(AUTH_FAILED);
    // Locked now: the right password gets the same answer, over AUTH and over PASS.
    expect(await c.command(`AUTH PLAIN ${plain('throttled@pop.test', PASSWORD)}`)).toBe(AUTH_FAILED);
    expect(await c.command('USER throttled@pop.test')).toBe('+OK');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe(AUTH_FAILED);
    const [row] = (await fx.db.dataSource.query(`SELECT failures FROM auth_failures WHERE scope = 'account' AND key = 'throttled@pop.test'`)) as { failures: number }[];
    // Counted by the Authenticator only, once per wrong password (locked attempts are not counted again).
    expect(row?.failures).toBe(2);
    await l.stop();
  });
});
