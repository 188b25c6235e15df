import { createTestDatabase, seedMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore, spoolBuffer } from '@darwin/mail-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchIndexer } from './search-indexer.js';

const logger = createLogger({ app: 'test' }, { level: 'error' });

describe('SearchIndexer', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  let inbox: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url, poolSize: 4 });
    const mb = await seedMailbox(db.dataSource, { address: 'search@index.test', password: 'secret-password' });
    for (let i = 1; i <= 7; i++) {
      const raw = `Subject: note ${i}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nword${i} caf=C3=A9\r\n`;
      await store.deliver(await spoolBuffer(Buffer.from(raw)), [{ mailboxId: mb.mailboxId }]);
    }
    inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!.id;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const indexed = async () => (await db.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE search_indexed'))[0].n as number;

  it('indexes new mail in the background at the configured rate, decoded', async () => {
    expect(await indexed()).toBe(0);
    const slow = new SearchIndexer({ store, logger, perSecond: 3 });
    expect(await slow.runOnce()).toBe(3);
    expect(await indexed()).toBe(3);
    const fast = new SearchIndexer({ store, logger, perSecond: 1000 });
    expect(await fast.runOnce()).toBe(4);
    expect(await fast.runOnce()).toBe(0);
    const rows: Array<{ body_text: string }> = await db.dataSource.query('SELECT body_text FROM messages ORDER BY uid');
    expect(rows.map((r) => r.body_text.trim())).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `word${i} café`));
  });

  it('leaves SEARCH BODY to the stored text: an indexed message is not read again', async () => {
    // Proof by tampering: once indexed, a body search answers from body_text, not from the message.
    await db.dataSource.query(`UPDATE messages SET body_text = 'tampered' WHERE uid = 2`);
    expect((await store.search(inbox, { type: 'body', value: 'tampered' })).map((h) => h.uid)).toEqual([2]);
    expect((await store.search(inbox, { type: 'body', value: 'word2' })).map((h) => h.uid)).toEqual([]);
    expect((await store.search(inbox, { type: 'body', value: 'word5' })).map((h) => h.uid)).toEqual([5]);
  });

  it('runs on a timer once started, and not at all when the rate is 0', async () => {
    await db.dataSource.query('UPDATE messages SET search_indexed = false, body_text = NULL');
    const off = new SearchIndexer({ store, logger, perSecond: 0 });
    off.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(await indexed()).toBe(0);
    await off.stop();
    const on = new SearchIndexer({ store, logger, perSecond: 1000, intervalMs: 50 });
    on.start();
    for (let i = 0; i < 100 && (await indexed()) < 7; i++) await new Promise((r) => setTimeout(r, 50));
    await on.stop();
    expect(await indexed()).toBe(7);
  });
});
