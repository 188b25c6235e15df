import { createTestDatabase, seedMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import { PgMailStore, spoolBuffer } from '@darwin/mail-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpungedPruner } from './expunged-pruner.js';

const DAY = 86_400_000;

describe('ExpungedPruner', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  const lines: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url, poolSize: 4 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('removes the records older than the retention in every folder, keeps the newer ones, and logs the count', async () => {
    const folders: string[] = [];
    for (const address of ['one@prune.test', 'two@prune.test']) {
      const mb = await seedMailbox(db.dataSource, { address, password: 'secret-password' });
      for (let i = 0; i < 3; i++) await store.deliver(await spoolBuffer(Buffer.from(`Subject: ${i}\r\n\r\nx\r\n`)), [{ mailboxId: mb.mailboxId }]);
      const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
      await store.expunge(inbox.id, { uids: [1, 2, 3], onlyDeleted: false });
      folders.push(inbox.id);
    }
    // The first mailbox's expunges are 10 days old, the second's 2 days.
    await db.dataSource.query(`UPDATE expunged_messages SET expunged_at = now() - interval '10 days' WHERE folder_id = $1`, [folders[0]]);
    await db.dataSource.query(`UPDATE expunged_messages SET expunged_at = now() - interval '2 days' WHERE folder_id = $1`, [folders[1]]);
    const logger = createLogger({ app: 'test' }, { level: 'info', write: (l) => void lines.push(l) });
    const pruner = new ExpungedPruner({ store, logger, retentionMs: 7 * DAY });
    expect(await pruner.runOnce()).toBe(3);
    const left = await db.dataSource.query('SELECT folder_id, count(*)::int AS n FROM expunged_messages GROUP BY folder_id');
    expect(left).toEqual([{ folder_id: folders[1], n: 3 }]);
    const [horizons] = await db.dataSource.query('SELECT (SELECT vanished_horizon FROM folders WHERE id = $1)::int AS a, (SELECT vanished_horizon FROM folders WHERE id = $2)::int AS b', folders);
    expect(horizons.a).toBeGreaterThan(0);
    expect(horizons.b).toBe(0);
    expect(lines.some((l) => l.includes('pruned expunge records') && l.includes('removed=3'))).toBe(true);
    expect(await pruner.runOnce()).toBe(0);
    await pruner.stop();
  });
});
