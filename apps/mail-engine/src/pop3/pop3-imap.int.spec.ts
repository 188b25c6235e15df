import type { AddressInfo } from 'node:net';
import { PgMailStore, type MailStore } from '@darwin/mail-store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createImapServer } from '../imap/server.js';
import { RawImapClient } from '../imap/testing/raw-imap-client.js';
import { createTestEngineContext } from '../testing/test-engine-context.js';
import { PASSWORD, startPop3Fixture, textMessage, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const USER = 'both@pop.test';

/**
 * One store with IMAP: what POP3 deletes at QUIT reaches IMAP sessions open on the INBOX as
 * `* n EXPUNGE`, both on an IMAP server in the same process (sharing the POP3 server's store, as
 * the engine wires them) and in another engine process (its own store on the same database).
 */
describe('POP3 DELE + QUIT seen by IMAP sessions', () => {
  let fx: Pop3Fixture;
  let otherStore: PgMailStore;
  const imapServers: { close(): Promise<void> }[] = [];
  const imapClients: RawImapClient[] = [];

  async function imapServer(store: MailStore): Promise<number> {
    const server = createImapServer(await createTestEngineContext({ store }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    imapServers.push({ close: () => server.shutdown() });
    return (server.address() as AddressInfo).port;
  }

  async function selectedInbox(port: number): Promise<RawImapClient> {
    const c = await RawImapClient.connect(port);
    imapClients.push(c);
    await c.next();
    expect((await c.command('L', `LOGIN ${USER} "${PASSWORD}"`)).at(-1)).toMatch(/^L OK/);
    const select = await c.command('S', 'SELECT INBOX');
    expect(select).toContain('* 4 EXISTS');
    expect(select.at(-1)).toBe('S OK [READ-WRITE] SELECT completed.');
    return c;
  }

  beforeAll(async () => {
    fx = await startPop3Fixture();
    otherStore = new PgMailStore({ url: fx.db.url, poolSize: 2 });
    // Both stores listen for change notifications before any session depends on them.
    await Promise.all([fx.store.watching(), otherStore.watching()]);
    const mb = await fx.mailbox(USER);
    for (let i = 1; i <= 4; i++) await fx.deliver(mb.mailboxId, textMessage(`both${i}`, `body ${i}\r\n`));
    // Not \Recent any more (an earlier client saw them), so the sessions' replies carry no RECENT counts.
    await fx.store.claimRecent((await fx.store.getFolder(mb.mailboxId, 'INBOX'))!.id);
  });
  afterEach(() => {
    Pop3TestClient.destroyAll();
    for (const c of imapClients.splice(0)) c.close();
  });
  afterAll(async () => {
    await Promise.all(imapServers.map((s) => s.close()));
    await otherStore?.close();
    await fx?.close();
  });

  it('an IDLE session (same process) and a NOOP session (another process) get * n EXPUNGE after QUIT, not after DELE', async () => {
    const idling = await selectedInbox(await imapServer(fx.store));
    const polling = await selectedInbox(await imapServer(otherStore));
    idling.send('I IDLE\r\n');
    expect((await idling.next()).text).toBe('+ idling');

    const pop = await Pop3TestClient.greeted(fx.port);
    await pop.login(USER, PASSWORD);
    expect(await pop.command('DELE 2')).toBe('+OK message 2 deleted');
    expect(await pop.command('DELE 4')).toBe('+OK message 4 deleted');
    // DELE only marks (RFC 1939): nothing has changed for IMAP yet.
    expect(await polling.command('N1', 'NOOP')).toEqual(['N1 OK NOOP completed.']);
    expect(idling.pending()).toEqual([]);

    expect(await pop.command('QUIT')).toBe('+OK Bye');
    // Each EXPUNGE renumbers what follows (RFC 3501 7.4.1): message 4 is number 3 by then.
    const expunged = ['* 2 EXPUNGE', '* 3 EXPUNGE'];
    expect([(await idling.next(3_000)).text, (await idling.next(3_000)).text]).toEqual(expunged);
    idling.send('DONE\r\n');
    expect(await idling.until('I')).toEqual(['I OK IDLE terminated.']);
    const left = ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 3)'];
    expect(await idling.command('F1', 'FETCH 1:* UID')).toEqual([...left, 'F1 OK FETCH completed.']);

    expect(await polling.command('N2', 'NOOP')).toEqual([...expunged, 'N2 OK NOOP completed.']);
    expect(await polling.command('F2', 'FETCH 1:* UID')).toEqual([...left, 'F2 OK FETCH completed.']);
  });
});
