import type { AddressInfo } from 'node:net';
import type { SeededMailbox } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore } from '@darwin/mail-store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../../tools/test-support/poll-until.js';
import { createTestEngineContext } from '../testing/test-engine-context.js';
import { createPop3Server } from './server.js';
import { PASSWORD, startPop3Fixture, textMessage, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const IN_USE = '-ERR [IN-USE] Mailbox is locked by another POP3 session.';

describe('POP3 UPDATE state, maildrop lock, timeouts and refusals', () => {
  let fx: Pop3Fixture;

  beforeAll(async () => {
    fx = await startPop3Fixture();
  });
  afterEach(() => Pop3TestClient.destroyAll());
  afterAll(async () => {
    await fx?.close();
  });

  async function mailboxWith(address: string, count: number): Promise<{ mb: SeededMailbox; folderId: string }> {
    const mb = await fx.mailbox(address);
    for (let i = 1; i <= count; i++) await fx.deliver(mb.mailboxId, textMessage(`m${i}`, `body ${i}\r\n`));
    return { mb, folderId: (await fx.store.getFolder(mb.mailboxId, 'INBOX'))!.id };
  }

  /** POP3 maildrop locks held in this test's database right now. */
  async function advisoryLocks(): Promise<number> {
    const [row] = (await fx.db.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )) as { n: number }[];
    return row!.n;
  }

  /** Logs in as soon as the lock is free (it is released asynchronously after a dropped connection). */
  async function loginWhenFree(port: number, address: string): Promise<Pop3TestClient> {
    return pollUntil('the maildrop lock', async () => {
      const c = await Pop3TestClient.greeted(port);
      await c.command(`USER ${address}`);
      const reply = await c.command(`PASS ${PASSWORD}`);
      if (reply === '+OK Logged in.') return c;
      c.destroy();
      expect(reply).toBe(IN_USE);
      return undefined;
    }, 5_000);
  }

  it('DELE then QUIT removes exactly the marked messages from the store and frees their quota', async () => {
    const { mb, folderId } = await mailboxWith('update@pop.test', 4);
    const before = await fx.store.listMessages(folderId);
    const quotaBefore = await fx.store.quota(mb.mailboxId);
    expect(quotaBefore.usedMessages).toBe(4);
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('update@pop.test', PASSWORD);
    expect(await c.command('DELE 1')).toBe('+OK message 1 deleted');
    expect(await c.command('DELE 3')).toBe('+OK message 3 deleted');
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
    const after = await fx.store.listMessages(folderId);
    expect(after.map((m) => m.uid)).toEqual([before[1]!.uid, before[3]!.uid]);
    const quotaAfter = await fx.store.quota(mb.mailboxId);
    expect(quotaAfter.usedMessages).toBe(2);
    expect(quotaAfter.usedBytes).toBe(quotaBefore.usedBytes - before[0]!.size - before[2]!.size);
    // The next session numbers what is left 1..2.
    const d = await Pop3TestClient.greeted(fx.port);
    await d.login('update@pop.test', PASSWORD);
    expect(await d.command('UIDL 1')).toBe(`+OK 1 ${before[1]!.id}`);
    expect(await d.command('UIDL 2')).toBe(`+OK 2 ${before[3]!.id}`);
    expect(await d.command('QUIT')).toBe('+OK Bye');
  });

  it('UIDL values survive a server restart and other sessions\' deletions, and are never reused', async () => {
    const { mb } = await mailboxWith('stable@pop.test', 4);
    const uidl = async (port: number): Promise<string[]> => {
      const c = await Pop3TestClient.greeted(port);
      await c.login('stable@pop.test', PASSWORD);
      const { lines } = await c.lines('UIDL');
      expect(await c.command('QUIT')).toBe('+OK Bye');
      return lines;
    };
    const before = await uidl(fx.port);
    const ids = before.map((l) => l.split(' ')[1]!);
    expect(before).toEqual(ids.map((id, i) => `${i + 1} ${id}`));

    // A restart: a new store (new connections) and a new server on the same database.
    const restartedStore = new PgMailStore({ url: fx.db.url, poolSize: 2 });
    const restarted = await fx.listen({}, { store: restartedStore });
    try {
      expect(await uidl(restarted.port)).toEqual(before);
      // Another session deletes message 2; the others keep their unique-ids (only numbers move up).
      const other = await Pop3TestClient.greeted(restarted.port);
      await other.login('stable@pop.test', PASSWORD);
      expect(await other.command('DELE 2')).toBe('+OK message 2 deleted');
      expect(await other.command('QUIT')).toBe('+OK Bye');
      expect(await uidl(fx.port)).toEqual([`1 ${ids[0]}`, `2 ${ids[2]}`, `3 ${ids[3]}`]);
      // New mail gets a new unique-id, never the deleted one's.
      await fx.deliver(mb.mailboxId, textMessage('late', 'after the deletion\r\n'));
      const after = await uidl(restarted.port);
      expect(after.slice(0, 3)).toEqual([`1 ${ids[0]}`, `2 ${ids[2]}`, `3 ${ids[3]}`]);
      const newId = after[3]!.split(' ')[1]!;
      expect(ids).not.toContain(newId);
    } finally {
      await restarted.stop();
      await restartedStore.close();
    }
  });

  it('a dropped connection deletes nothing and releases the lock', async () => {
    const { mb, folderId } = await mailboxWith('drop@pop.test', 2);
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('drop@pop.test', PASSWORD);
    expect(await c.command('DELE 1')).toBe('+OK message 1 deleted');
    expect(await c.command('DELE 2')).toBe('+OK message 2 deleted');
    c.destroy();
    const d = await loginWhenFree(fx.port, 'drop@pop.test');
    expect(await d.command('STAT')).toMatch(/^\+OK 2 \d+$/);
    expect(await d.command('QUIT')).toBe('+OK Bye');
    expect(await fx.store.listMessages(folderId)).toHaveLength(2);
    expect((await fx.store.quota(mb.mailboxId)).usedMessages).toBe(2);
  });

  it('a second session gets [IN-USE] and stays unauthenticated; after the first QUITs it logs in at once', async () => {
    await mailboxWith('locked@pop.test', 1);
    const first = await Pop3TestClient.greeted(fx.port);
    await first.login('locked@pop.test', PASSWORD);
    const second = await Pop3TestClient.greeted(fx.port);
    expect(await second.command('USER locked@pop.test')).toBe('+OK');
    expect(await second.command(`PASS ${PASSWORD}`)).toBe(IN_USE);
    expect(await second.command('STAT')).toBe('-ERR Not logged in: send USER and PASS first.');
    expect(await advisoryLocks()).toBe(1);
    expect(await first.command('QUIT')).toBe('+OK Bye');
    // QUIT released the lock before answering: no retry needed.
    expect(await advisoryLocks()).toBe(0);
    expect(await second.command('USER locked@pop.test')).toBe('+OK');
    expect(await second.command(`PASS ${PASSWORD}`)).toBe('+OK Logged in.');
    expect(await second.command('QUIT')).toBe('+OK Bye');
  });

  it('the lock holds across engine processes (another store and server on the same database)', async () => {
    await mailboxWith('cross@pop.test', 1);
    const otherStore = new PgMailStore({ url: fx.db.url, poolSize: 2 });
    const logger = createLogger({ app: 'test' }, { level: 'warn' });
    const other = createPop3Server(await createTestEngineContext({ store: otherStore, logger }));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const a = await Pop3TestClient.greeted(fx.port);
      await a.login('cross@pop.test', PASSWORD);
      const b = await Pop3TestClient.greeted((other.address() as AddressInfo).port);
      await b.command('USER cross@pop.test');
      expect(await b.command(`PASS ${PASSWORD}`)).toBe(IN_USE);
      await a.command('QUIT');
      await b.command('USER cross@pop.test');
      expect(await b.command(`PASS ${PASSWORD}`)).toBe('+OK Logged in.');
      expect(await b.command('QUIT')).toBe('+OK Bye');
    } finally {
      Pop3TestClient.destroyAll();
      await new Promise<void>((resolve) => other.close(() => resolve()));
      await otherStore.close();
    }
  });

  it('answers QUIT with [SYS/TEMP] when the store cannot remove the messages, keeps them, and releases the lock', async () => {
    const { folderId } = await mailboxWith('failing@pop.test', 2);
    // A real database failure, not a mock: the DELETE of expunge raises.
    await fx.db.dataSource.query(`CREATE FUNCTION pop3_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$`);
    await fx.db.dataSource.query(`CREATE TRIGGER pop3_test_refuse BEFORE DELETE ON messages FOR EACH ROW EXECUTE FUNCTION pop3_test_refuse()`);
    try {
      const c = await Pop3TestClient.greeted(fx.port);
      await c.login('failing@pop.test', PASSWORD);
      expect(await c.command('DELE 1')).toBe('+OK message 1 deleted');
      expect(await c.command('QUIT')).toBe('-ERR [SYS/TEMP] Some deleted messages were not removed, try again later.');
      await c.expectClosed();
    } finally {
      await fx.db.dataSource.query('DROP TRIGGER pop3_test_refuse ON messages');
      await fx.db.dataSource.query('DROP FUNCTION pop3_test_refuse()');
    }
    expect(await fx.store.listMessages(folderId)).toHaveLength(2);
    const d = await Pop3TestClient.greeted(fx.port);
    await d.login('failing@pop.test', PASSWORD);
    expect(await d.command('QUIT')).toBe('+OK Bye');
  });

  it('refuses plaintext USER and PASS where DARWIN_PLAINTEXT_AUTH forbids them, and leaves USER out of CAPA', async () => {
    await mailboxWith('plain@pop.test', 0);
    const { port } = await fx.listen({ DARWIN_PLAINTEXT_AUTH: 'never' });
    const c = await Pop3TestClient.greeted(port);
    expect(await c.command('USER plain@pop.test')).toBe('-ERR [AUTH] Plaintext authentication disallowed on non-secure connection.');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR [AUTH] Plaintext authentication disallowed on non-secure connection.');
    // USER and SASL are left out (both send a password); STLS is the way in.
    expect(await c.lines('CAPA')).toEqual({
      status: '+OK Capability list follows',
      lines: ['TOP', 'UIDL', 'STLS', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING', 'IMPLEMENTATION Darwin-Mail'],
    });
    expect(await c.command('AUTH PLAIN AHBsYWluQHBvcC50ZXN0AHg=')).toBe('-ERR [AUTH] Plaintext authentication disallowed on non-secure connection.');
    expect(await c.lines('AUTH')).toEqual({ status: '+OK', lines: [] });
    expect(await c.command('QUIT')).toBe('+OK Bye');
    // "loopback" allows it from 127.0.0.1.
    const loop = await Pop3TestClient.greeted((await fx.listen({ DARWIN_PLAINTEXT_AUTH: 'loopback' })).port);
    await loop.login('plain@pop.test', PASSWORD);
    expect(await loop.command('QUIT')).toBe('+OK Bye');
  });

  it('tells a mailbox with POP3 disabled so, and a suspended one only that authentication failed', async () => {
    const { mb } = await mailboxWith('nopop@pop.test', 1);
    await fx.db.dataSource.query('UPDATE mailboxes SET pop3_enabled = false WHERE id = $1', [mb.mailboxId]);
    const c = await Pop3TestClient.greeted(fx.port);
    await c.command('USER nopop@pop.test');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR [AUTH] POP3 is not enabled for this mailbox.');
    const s = await mailboxWith('suspended@pop.test', 1);
    await fx.db.dataSource.query('UPDATE mailboxes SET login_suspended = true WHERE id = $1', [s.mb.mailboxId]);
    await c.command('USER suspended@pop.test');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR [AUTH] Authentication failed.');
    expect(await c.command('STAT')).toBe('-ERR Not logged in: send USER and PASS first.');
  });

  it('closes an idle unauthenticated connection after DARWIN_PREAUTH_TIMEOUT with -ERR', async () => {
    const { port } = await fx.listen({ DARWIN_PREAUTH_TIMEOUT: '300ms' });
    const started = Date.now();
    const c = await Pop3TestClient.greeted(port);
    expect(await c.readLine()).toBe('-ERR Disconnected for inactivity.');
    await c.expectClosed();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('after login uses DARWIN_POP3_IDLE_TIMEOUT; timing out deletes nothing and frees the lock', async () => {
    const { folderId } = await mailboxWith('idle@pop.test', 2);
    const { port } = await fx.listen({ DARWIN_PREAUTH_TIMEOUT: '300ms', DARWIN_POP3_IDLE_TIMEOUT: '1500ms' });
    const c = await Pop3TestClient.greeted(port);
    await c.login('idle@pop.test', PASSWORD);
    expect(await c.command('DELE 1')).toBe('+OK message 1 deleted');
    await new Promise((r) => setTimeout(r, 700)); // longer than the pre-login timeout
    expect(await c.command('NOOP')).toBe('+OK');
    const idleFrom = Date.now();
    expect(await c.readLine()).toBe('-ERR Disconnected for inactivity.');
    expect(Date.now() - idleFrom).toBeGreaterThanOrEqual(1_300);
    await c.expectClosed();
    expect(await fx.store.listMessages(folderId)).toHaveLength(2);
    const d = await loginWhenFree(fx.port, 'idle@pop.test');
    expect(await d.command('QUIT')).toBe('+OK Bye');
  });

  it('on server shutdown tells idle sessions, closes them without UPDATE and frees the lock', async () => {
    const { folderId } = await mailboxWith('shutdown@pop.test', 1);
    const { port, server } = await fx.listen();
    const c = await Pop3TestClient.greeted(port);
    await c.login('shutdown@pop.test', PASSWORD);
    expect(await c.command('DELE 1')).toBe('+OK message 1 deleted');
    const stopped = server.shutdown();
    expect(await c.readLine()).toBe('-ERR [SYS/TEMP] Server shutting down.');
    await c.expectClosed();
    await stopped;
    expect(await fx.store.listMessages(folderId)).toHaveLength(1);
    const d = await loginWhenFree(fx.port, 'shutdown@pop.test');
    expect(await d.command('QUIT')).toBe('+OK Bye');
  });
});
