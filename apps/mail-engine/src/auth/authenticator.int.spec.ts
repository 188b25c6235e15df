import { hashPassword } from '@darwin/core';
import { createTestDatabase, LoginThrottle, seedMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore } from '@darwin/mail-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from './authenticator.js';
import { useCheapHash } from './test-support/cheap-password.js';

const PASSWORD = 'correct horse battery';
const MAX_FAILURES = 3;
const IP = '192.0.2.7';

/** Against real PostgreSQL: the accounts the store finds and the throttle's auth_failures rows. */
describe('Authenticator', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  let throttle: LoginThrottle;
  const logger = createLogger({}, { level: 'error', write: () => {} });
  /** The Authenticator as the engine builds it, but with a short delay where the delay is not the point. */
  const authenticator = (failureDelayMs = 1) => new Authenticator({ store, logger, failureDelayMs, throttle });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url, poolSize: 4 });
    throttle = new LoginThrottle((sql, params) => db.dataSource.query(sql, params), {
      maxFailuresAccount: MAX_FAILURES,
      maxFailuresIp: 1_000,
      windowMs: 60_000,
      lockoutMs: 60_000,
    });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const mailbox = (address: string) => seedMailbox(db.dataSource, { address, password: PASSWORD });

  /** The account's failure count in the shared throttle (0 when it has no row). */
  async function failures(address: string): Promise<number> {
    const [row] = (await db.dataSource.query(`SELECT failures FROM auth_failures WHERE scope = 'account' AND key = $1`, [address])) as { failures: number }[];
    return row?.failures ?? 0;
  }

  it('answers a wrong password and an unknown address alike, as invalid, each no sooner than the failure delay', async () => {
    // What the timing must stand clear of, so that it fails without the delay: argon2 (the cheap
    // hash; the unknown address still pays the full-cost dummy hash, by design), and opening the
    // database connections (the right login first). What is left took 60-400 ms without the delay
    // on a 2-core machine loaded by other test runs, hence a whole second.
    const mb = await mailbox('delay@auth.test');
    await useCheapHash(db, mb.mailboxId);
    const sut = authenticator(1_000);
    const right = await sut.login('Delay@AUTH.test', PASSWORD, { protocol: 'pop3', ip: IP });
    expect(right).toMatchObject({ ok: true, account: { id: mb.mailboxId, address: 'delay@auth.test' } });
    const timed = async (user: string, password: string) => {
      const started = performance.now();
      const result = await sut.login(user, password, { protocol: 'pop3', ip: IP });
      return { result, ms: performance.now() - started };
    };
    const wrong = await timed('delay@auth.test', 'wrong');
    const unknown = await timed('nobody@auth.test', PASSWORD);
    expect(wrong.result).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown.result).toEqual({ ok: false, reason: 'invalid' });
    // Lower bounds only: timers fire late on a busy machine, never early.
    expect(wrong.ms).toBeGreaterThanOrEqual(980);
    expect(unknown.ms).toBeGreaterThanOrEqual(980);
  });

  it('counts wrong passwords for the account whatever the protocol; once locked, the right password is "locked" too and not counted again', async () => {
    await mailbox('guessed@auth.test');
    const sut = authenticator();
    for (const protocol of ['imap', 'smtp', 'pop3'] as const) {
      expect(await sut.login('guessed@auth.test', `guess for ${protocol}`, { protocol, ip: IP })).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(await failures('guessed@auth.test')).toBe(MAX_FAILURES);
    for (const protocol of ['pop3', 'imap', 'smtp'] as const) {
      expect(await sut.login('guessed@auth.test', PASSWORD, { protocol, ip: IP })).toEqual({ ok: false, reason: 'locked' });
    }
    // Another Authenticator (another engine process) reads the same lock from the database.
    expect(await authenticator().login('guessed@auth.test', PASSWORD, { protocol: 'pop3' })).toEqual({ ok: false, reason: 'locked' });
    expect(await failures('guessed@auth.test')).toBe(MAX_FAILURES);
  });

  it('does not count a right password for a protocol turned off or a suspended login; a success clears the count', async () => {
    const off = await mailbox('off@auth.test');
    await db.dataSource.query('UPDATE mailboxes SET pop3_enabled = false WHERE id = $1', [off.mailboxId]);
    const frozen = await mailbox('frozen@auth.test');
    await db.dataSource.query('UPDATE mailboxes SET login_suspended = true WHERE id = $1', [frozen.mailboxId]);
    const sut = authenticator();
    expect(await sut.login('off@auth.test', PASSWORD, { protocol: 'pop3', ip: IP })).toEqual({ ok: false, reason: 'disabled' });
    expect((await sut.login('off@auth.test', PASSWORD, { protocol: 'imap', ip: IP })).ok).toBe(true);
    expect(await sut.login('frozen@auth.test', PASSWORD, { protocol: 'pop3', ip: IP })).toEqual({ ok: false, reason: 'suspended' });
    expect(await failures('off@auth.test')).toBe(0);
    expect(await failures('frozen@auth.test')).toBe(0);

    await mailbox('forgetful@auth.test');
    expect((await sut.login('forgetful@auth.test', 'typo', { protocol: 'pop3', ip: IP })).ok).toBe(false);
    expect(await failures('forgetful@auth.test')).toBe(1);
    expect((await sut.login('forgetful@auth.test', PASSWORD, { protocol: 'pop3', ip: IP })).ok).toBe(true);
    expect(await failures('forgetful@auth.test')).toBe(0);
  });

  it('remembers a verified password, but not past a password change', async () => {
    const mb = await mailbox('changed@auth.test');
    const sut = authenticator();
    expect((await sut.login('changed@auth.test', PASSWORD, { protocol: 'imap' })).ok).toBe(true);
    await db.dataSource.query('UPDATE mailboxes SET password_hash = $2 WHERE id = $1', [mb.mailboxId, await hashPassword('a new password')]);
    expect(await sut.login('changed@auth.test', PASSWORD, { protocol: 'imap' })).toEqual({ ok: false, reason: 'invalid' });
    expect((await sut.login('changed@auth.test', 'a new password', { protocol: 'imap' })).ok).toBe(true);
  });
});
