/**
 * Failed IMAP logins go through the shared LoginThrottle as SMTP AUTH and POP3 do (the engine
 * builds one Authenticator with it for every protocol): each failure is delayed, counted in
 * auth_failures across connections, and a locked account is refused with the same answer as a
 * wrong password, even with the right one, over LOGIN and AUTHENTICATE alike.
 */
import type { AddressInfo } from 'node:net';
import { LoginThrottle } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../auth/authenticator.js';
import { CHEAP_PASSWORD, useCheapHash } from '../auth/test-support/cheap-password.js';
import { createTestEngineContext } from '../testing/test-engine-context.js';
import { createImapServer, type ImapServer } from './server.js';
import { RawImapClient } from './testing/raw-imap-client.js';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = CHEAP_PASSWORD;
const ADDRESS = 'throttled@imap.test';
// Long against the cheap hash below, so a failure answered without the delay cannot pass for one.
const DELAY_MS = 1000;
const FAILED = 'NO [AUTHENTICATIONFAILED] Authentication failed.';

describe('IMAP logins and the shared login throttle', () => {
  let t: ImapTestServer;
  let server: ImapServer;
  let port: number;

  beforeAll(async () => {
    t = await startImapTestServer();
    const mb = await t.seed(ADDRESS, PASSWORD);
    await useCheapHash(t.db, mb.mailboxId);
    const throttle = new LoginThrottle((sql, params) => t.db.dataSource.query(sql, params), { maxFailuresAccount: 3, maxFailuresIp: 100, windowMs: 60_000, lockoutMs: 60_000 });
    const auth = new Authenticator({ store: t.store, logger: createLogger({}, { level: 'error', write: () => {} }), failureDelayMs: DELAY_MS, throttle });
    server = createImapServer(await createTestEngineContext({ store: t.store, auth }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await server?.shutdown();
    await t?.close();
  });

  async function connect(): Promise<RawImapClient> {
    const c = await RawImapClient.connect(port);
    await c.next();
    return c;
  }

  /** The reply without its tag, and how long it took. */
  async function timed(c: RawImapClient, command: string): Promise<{ reply: string[]; ms: number }> {
    const started = Date.now();
    const reply = (await c.command('x', command)).map((l) => l.replace(/^x /, ''));
    return { reply, ms: Date.now() - started };
  }

  it('delays each failure, counts it across connections, then refuses the right password too', async () => {
    const first = await connect();
    for (const guess of ['guess1', 'guess2']) {
      const r = await timed(first, `LOGIN ${ADDRESS} ${guess}`);
      expect(r.reply).toEqual([FAILED]);
      expect(r.ms).toBeGreaterThanOrEqual(DELAY_MS - 5);
    }
    first.close();

    // A new connection starts with no failures of its own; the account's count goes on.
    const second = await connect();
    const plain = (password: string) => Buffer.from(`\0${ADDRESS}\0${password}`).toString('base64');
    expect((await timed(second, `AUTHENTICATE PLAIN ${plain('guess3')}`)).reply).toEqual([FAILED]);
    const [row] = (await t.db.dataSource.query(`SELECT failures, locked_until > now() AS locked FROM auth_failures WHERE scope = 'account' AND key = $1`, [ADDRESS])) as { failures: number; locked: boolean }[];
    expect(row).toEqual({ failures: 3, locked: true });
    const events = (await t.db.dataSource.query(`SELECT details->>'protocol' AS protocol FROM abuse_events WHERE kind = 'auth_failures'`)) as { protocol: string }[];
    expect(events).toEqual([{ protocol: 'imap' }]);

    // Locked: the right password gets the wrong password's answer, after the same delay.
    const locked = await timed(second, `LOGIN ${ADDRESS} "${PASSWORD}"`);
    expect(locked.reply).toEqual([FAILED]);
    expect(locked.ms).toBeGreaterThanOrEqual(DELAY_MS - 5);
    expect((await timed(second, `AUTHENTICATE PLAIN ${plain(PASSWORD)}`)).reply).toEqual([FAILED]);
    second.close();

    // Once the lock is over, the right password works again (and clears the count).
    await t.db.dataSource.query(`UPDATE auth_failures SET locked_until = now() - interval '1 second' WHERE scope = 'account' AND key = $1`, [ADDRESS]);
    const third = await connect();
    expect((await timed(third, `LOGIN ${ADDRESS} "${PASSWORD}"`)).reply[0]).toMatch(/^OK \[CAPABILITY /);
    third.close();
  });
});
