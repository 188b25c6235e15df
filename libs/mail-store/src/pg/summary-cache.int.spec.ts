import { createTestDatabase, seedMailbox, type TestDatabase } from '@darwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spoolBuffer } from '../spool.js';
import type { MessageSummary } from '../types.js';
import { PgMailStore } from './pg-mail-store.js';

/** A fixed pseudo-random sequence, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const plain = (n: number) => Buffer.from(`From: s${n}@example.org\r\nTo: box@cache.test\r\nSubject: note ${n}\r\n\r\nbody ${n}\r\n`);

describe('summary cache', () => {
  let db: TestDatabase;
  /** The engine's store, with the cache. */
  let cached: PgMailStore;
  /** Another process changing the same mailbox. */
  let other: PgMailStore;
  /** The truth: no cache. */
  let direct: PgMailStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    cached = new PgMailStore({ url: db.url, poolSize: 4 });
    other = new PgMailStore({ url: db.url, poolSize: 4, summaryCacheBytes: 0 });
    direct = new PgMailStore({ url: db.url, poolSize: 2, summaryCacheBytes: 0 });
  });
  afterAll(async () => {
    await Promise.all([cached?.close(), other?.close(), direct?.close()]);
    await db?.drop();
  });

  const strip = (rows: MessageSummary[]) => rows.map((m) => ({ ...m, envelopeImap: m.envelopeImap ?? null }));

  it('answers exactly what the database holds (messages, STATUS, SELECT snapshot) after every change by either process: deliveries, flags, expunges, moves', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'box@cache.test', password: 'secret-password' });
    const inbox = (await cached.getFolder(mb.mailboxId, 'INBOX'))!;
    const trash = (await cached.getFolder(mb.mailboxId, 'Trash'))!;
    const rand = rng(2026);
    let n = 0;
    for (let i = 0; i < 10; i++) await other.deliver(await spoolBuffer(plain(++n)), [{ mailboxId: mb.mailboxId }]);
    for (let step = 0; step < 80; step++) {
      const actor = rand() < 0.5 ? cached : other;
      const uids = await direct.listUids(inbox.id);
      const pick = uids.filter(() => rand() < 0.3);
      const op = Math.floor(rand() * 5);
      if (op === 0 || uids.length < 3) await actor.deliver(await spoolBuffer(plain(++n)), [{ mailboxId: mb.mailboxId, flags: rand() < 0.5 ? ['\\Seen'] : [] }]);
      else if (op === 1) await actor.updateFlags(inbox.id, pick, rand() < 0.5 ? 'add' : 'remove', [rand() < 0.5 ? '\\Flagged' : '$Label']);
      else if (op === 2) await actor.expunge(inbox.id, { uids: pick.slice(0, 2), onlyDeleted: false });
      else if (op === 3 && pick.length > 0) await actor.moveMessages(inbox.id, pick.slice(0, 1), trash.id);
      else await actor.storeFlags(inbox.id, pick, 'set', ['\\Answered']);
      for (const folder of [inbox.id, trash.id]) {
        const want = await direct.listMessages(folder, {}, { envelope: true });
        expect(strip(await cached.listMessages(folder, {}, { envelope: true })), `step ${step} op ${op}`).toEqual(strip(want));
        expect(await cached.folderStatus(folder), `status at step ${step}`).toEqual(await direct.folderStatus(folder));
        expect(await cached.folderSnapshot(folder), `snapshot at step ${step}`).toEqual(await direct.folderSnapshot(folder));
        const mid = want[Math.floor(want.length / 2)]?.uid ?? 1;
        expect(strip(await cached.listMessages(folder, { from: mid, to: mid + 3 })).map((m) => m.uid)).toEqual(want.filter((m) => m.uid >= mid && m.uid <= mid + 3).map((m) => m.uid));
      }
    }
  });

  it('reloads a folder whose expunge records were pruned, and reads a folder too large for it from the database', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'prune@cache.test', password: 'secret-password' });
    const inbox = (await cached.getFolder(mb.mailboxId, 'INBOX'))!;
    for (let i = 1; i <= 5; i++) await other.deliver(await spoolBuffer(plain(i)), [{ mailboxId: mb.mailboxId }]);
    expect((await cached.listMessages(inbox.id)).map((m) => m.uid)).toEqual([1, 2, 3, 4, 5]);
    await other.expunge(inbox.id, { uids: [2, 3], onlyDeleted: false });
    await db.dataSource.query(`UPDATE expunged_messages SET expunged_at = now() - interval '90 days' WHERE folder_id = $1`, [inbox.id]);
    expect(await other.pruneExpunged(new Date(Date.now() - 30 * 86_400_000))).toBe(2);
    expect((await cached.listMessages(inbox.id)).map((m) => m.uid)).toEqual([1, 4, 5]);
    // 1 KiB of cache cannot hold five summaries: every call goes to the database, with the same answer.
    const tiny = new PgMailStore({ url: db.url, poolSize: 1, summaryCacheBytes: 1024 });
    try {
      expect((await tiny.listMessages(inbox.id)).map((m) => m.uid)).toEqual([1, 4, 5]);
      await other.updateFlags(inbox.id, [4], 'add', ['\\Seen']);
      expect((await tiny.listMessages(inbox.id, { from: 4, to: 4 }))[0]!.flags).toEqual(['\\Seen']);
    } finally {
      await tiny.close();
    }
  });
});
