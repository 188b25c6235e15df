import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { createTestDatabase, seedMailbox, type TestDatabase } from '@darwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spoolBuffer, Spool } from '../spool.js';
import type { FolderChange } from '../types.js';
import { PgMailStore } from './pg-mail-store.js';

function message(n: number, bodyBytes = 1000): Buffer {
  const head = `From: a@example.org\r\nTo: b@example.com\r\nSubject: =?UTF-8?Q?caf=C3=A9?= ${String(n).padStart(4, "0")}\r\nMessage-ID: <m${String(n).padStart(4, "0")}@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n`;
  const body = `${String(n).padStart(4, "0")}`.padEnd(bodyBytes - 2, 'x') + '\r\n';
  return Buffer.from(head + body);
}

async function readAll(store: PgMailStore, blobId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of store.openBlob(blobId)) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('PgMailStore', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url, poolSize: 25 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('20 parallel deliveries into a quota that admits exactly 10: 10 stored, usage exact, UIDs 1..10', async () => {
    const sizes = Array.from({ length: 20 }, (_, i) => message(i).length);
    // All messages have the same size, so the quota admits exactly ten of them.
    expect(new Set(sizes).size).toBe(1);
    const size = sizes[0]!;
    const mb = await seedMailbox(db.dataSource, { address: 'race@quota.test', password: 'secret-password', quotaBytes: size * 10 + size - 1 });
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const spooled = await spoolBuffer(message(i));
        return (await store.deliver(spooled, [{ mailboxId: mb.mailboxId }]))[0]!;
      }),
    );
    expect(results.filter((r) => r.status === 'stored')).toHaveLength(10);
    expect(results.filter((r) => r.status === 'over_quota')).toHaveLength(10);
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const msgs = await store.listMessages(inbox.id);
    expect(msgs.map((m) => m.uid)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const q = await store.quota(mb.mailboxId);
    expect(q.usedBytes).toBe(size * 10);
    expect(q.usedMessages).toBe(10);
    const [row] = await db.dataSource.query('SELECT sum(size)::bigint AS s, count(*)::int AS n FROM messages WHERE mailbox_id = $1', [mb.mailboxId]);
    expect(Number(row.s)).toBe(size * 10);
    expect(inbox.uidnext).toBe(11);
    // Modseqs strictly increase with UIDs.
    const modseqs = msgs.map((m) => m.modseq);
    expect([...modseqs].sort((a, b) => a - b)).toEqual(modseqs);
    expect(new Set(modseqs).size).toBe(10);
  });

  it('stores one blob per delivery for all recipients and streams the bytes back exactly', async () => {
    const a = await seedMailbox(db.dataSource, { address: 'one@blob.test', password: 'secret-password' });
    const b = await seedMailbox(db.dataSource, { address: 'two@blob.test', password: 'secret-password' });
    // 8-bit UTF-8, a line starting with a dot, and more than one 256 KiB chunk.
    const raw = Buffer.concat([Buffer.from('Subject: Grüße\r\n\r\n.leading dot\r\nnaïve café ✓\r\n'), Buffer.alloc(600_000, 'y'), Buffer.from('\r\n')]);
    const spooled = await spoolBuffer(raw);
    const out = await store.deliver(spooled, [{ mailboxId: a.mailboxId }, { mailboxId: b.mailboxId }]);
    expect(out.map((o) => o.status)).toEqual(['stored', 'stored']);
    const [blobs] = await db.dataSource.query('SELECT count(*)::int AS n, max(refcount) AS r FROM blobs WHERE sha256 = $1', [spooled.sha256]);
    expect(blobs).toEqual({ n: 1, r: 2 });
    const [chunks] = await db.dataSource.query('SELECT count(*)::int AS n FROM blob_chunks c JOIN blobs b ON b.id = c.blob_id WHERE b.sha256 = $1', [spooled.sha256]);
    expect(chunks.n).toBe(3);
    const inbox = (await store.getFolder(a.mailboxId, 'inbox'))!;
    const [m] = await store.listMessages(inbox.id);
    const [hash] = await db.dataSource.query(`SELECT encode(sha256, 'hex') AS hex FROM blobs WHERE id = $1`, [m!.blobId]);
    expect(hash.hex).toBe(createHash('sha256').update(raw).digest('hex'));
    expect((await readAll(store, m!.blobId)).equals(raw)).toBe(true);
    // The summary fields are decoded from the header.
    const [row] = await db.dataSource.query('SELECT subject FROM messages WHERE id = $1', [m!.id]);
    expect(row.subject).toBe('Grüße');
  });

  it('spools large messages to a file and refuses oversize ones', async () => {
    const s = new Spool({ maxBytes: 3_000_000, memoryBytes: 64 * 1024 });
    const piece = Buffer.alloc(100_000, 'z');
    for (let i = 0; i < 20; i++) await s.write(piece);
    const big = await s.finish();
    expect(big.size).toBe(2_000_000);
    expect(big.oversize).toBe(false);
    let total = 0;
    for await (const c of big.chunks(256 * 1024)) total += c.length;
    expect(total).toBe(2_000_000);
    await big.dispose();
    const small = new Spool({ maxBytes: 10 });
    await small.write(Buffer.from('0123456789abc'));
    expect((await small.finish()).oversize).toBe(true);
  });

  it('sets, adds and removes flags with one new modseq per change, and expunges freeing quota and blobs', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'flags@store.test', password: 'secret-password' });
    for (let i = 0; i < 3; i++) await store.deliver(await spoolBuffer(message(100 + i)), [{ mailboxId: mb.mailboxId }]);
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const added = await store.updateFlags(inbox.id, [1, 2], 'add', ['\\Seen', '\\Deleted']);
    expect(added.map((u) => u.uid)).toEqual([1, 2]);
    expect(added[0]!.flags).toEqual(['\\Deleted', '\\Seen']);
    expect(added[0]!.modseq).toBe(added[1]!.modseq);
    // No-op changes report nothing and do not bump modseq.
    const before = (await store.getFolder(mb.mailboxId, 'INBOX'))!.highestModseq;
    expect(await store.updateFlags(inbox.id, [1], 'add', ['\\Seen'])).toEqual([]);
    expect((await store.getFolder(mb.mailboxId, 'INBOX'))!.highestModseq).toBe(before);
    const removed = await store.updateFlags(inbox.id, [2], 'remove', ['\\Deleted']);
    expect(removed[0]!.flags).toEqual(['\\Seen']);
    const status = await store.folderStatus(inbox.id);
    expect(status).toMatchObject({ messages: 3, unseen: 1 });
    const size = message(100).length;
    expect(await store.expunge(inbox.id, { onlyDeleted: true })).toEqual([1]);
    expect((await store.quota(mb.mailboxId)).usedBytes).toBe(size * 2);
    expect(await store.expunge(inbox.id, { uids: [3], onlyDeleted: false })).toEqual([3]);
    expect((await store.listMessages(inbox.id)).map((m) => m.uid)).toEqual([2]);
    const q = await store.quota(mb.mailboxId);
    expect(q).toMatchObject({ usedBytes: size, usedMessages: 1 });
    const [orphans] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.blob_id = b.id) AND b.refcount = 0`,
    );
    expect(orphans.n).toBe(0);
  });

  it('queues several outbound groups in one transaction and counts a local-only submission as sent', async () => {
    const a = await seedMailbox(db.dataSource, { address: 'a@groups.test', password: 'secret-password' });
    const b = await seedMailbox(db.dataSource, { address: 'b@groups.test', password: 'secret-password' });
    const spooled = await spoolBuffer(message(600));
    const out = await store.accept(spooled, {
      targets: [],
      outbound: [
        { tenantId: a.tenantId, mailboxId: a.mailboxId, mailFrom: 'x@remote.example', recipients: [{ address: 'fwd-a@elsewhere.example' }] },
        { tenantId: b.tenantId, mailboxId: b.mailboxId, mailFrom: 'x@remote.example', recipients: [{ address: 'fwd-b1@elsewhere.example' }, { address: 'fwd-b2@elsewhere.example' }] },
      ],
    });
    expect(out.queued).toHaveLength(3);
    const rows = await db.dataSource.query('SELECT mailbox_id, blob_id FROM outbound_queue WHERE id = ANY ($1::bigint[]) ORDER BY id', [out.queued]);
    expect(rows.map((r: { mailbox_id: string }) => r.mailbox_id)).toEqual([a.mailboxId, b.mailboxId, b.mailboxId]);
    expect(new Set(rows.map((r: { blob_id: string }) => r.blob_id)).size).toBe(1);
    const [blob] = await db.dataSource.query('SELECT refcount FROM blobs WHERE id = $1', [rows[0].blob_id]);
    expect(blob.refcount).toBe(3);

    const local = await store.accept(await spoolBuffer(message(601)), { targets: [{ mailboxId: b.mailboxId }] }, { countAsSentBy: { mailboxId: a.mailboxId, tenantId: a.tenantId } });
    expect(local.local[0]!.status).toBe('stored');
    const [stats] = await db.dataSource.query('SELECT sent_messages FROM mail_stats_daily WHERE mailbox_id = $1', [a.mailboxId]);
    expect(stats).toEqual({ sent_messages: 1 });
  });

  it('serves recently delivered and read small messages from memory (blobs never change)', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'cache@store.test', password: 'secret-password' });
    const raw = message(700);
    const [out] = await store.deliver(await spoolBuffer(raw), [{ mailboxId: mb.mailboxId }]);
    if (out!.status !== 'stored') throw new Error('not stored');
    const uncached = new PgMailStore({ url: db.url, poolSize: 2, blobCacheBytes: 0 });
    try {
      expect((await readAll(uncached, out!.blobId)).equals(raw)).toBe(true);
      // Take the bytes away from the database: only the cache can still answer.
      await db.dataSource.query('DELETE FROM blob_chunks WHERE blob_id = $1', [out!.blobId]);
      expect((await readAll(store, out!.blobId)).equals(raw)).toBe(true);
      expect((await store.readBlobs([out!.blobId], 1 << 20)).get(out!.blobId)?.equals(raw)).toBe(true);
      expect((await readAll(uncached, out!.blobId)).length).toBe(0);
      const part = [];
      for await (const c of store.openBlob(out!.blobId, { start: 5, end: 12 })) part.push(c as Buffer);
      expect(Buffer.concat(part).equals(raw.subarray(5, 12))).toBe(true);
    } finally {
      await uncached.close();
    }
  });

  it('says why a single-target delivery (the one-statement path) stored nothing', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'one@why.test', password: 'secret-password', quotaBytes: 10 });
    const one = async (mailboxId: string, folder?: string) => (await store.deliver(await spoolBuffer(message(9)), [{ mailboxId, folder }]))[0]!.status;
    expect(await one('00000000-0000-0000-0000-000000000000')).toBe('no_mailbox');
    expect(await one(mb.mailboxId, 'Nope')).toBe('no_folder');
    expect(await one(mb.mailboxId)).toBe('over_quota');
    const [counts] = await db.dataSource.query('SELECT (SELECT count(*)::int FROM messages WHERE mailbox_id = $1) AS m, (SELECT used_bytes::int FROM mailboxes WHERE id = $1) AS u', [mb.mailboxId]);
    expect(counts).toEqual({ m: 0, u: 0 });
  });

  it('reports unknown mailboxes and folders without storing anything', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'nofolder@store.test', password: 'secret-password' });
    const out = await store.deliver(await spoolBuffer(message(7)), [
      { mailboxId: '00000000-0000-0000-0000-000000000000' },
      { mailboxId: mb.mailboxId, folder: 'Nope' },
    ]);
    expect(out.map((o) => o.status)).toEqual(['no_mailbox', 'no_folder']);
    expect((await store.quota(mb.mailboxId)).usedBytes).toBe(0);
  });

  it('notifies watchers in another store instance (another process) after commit', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'watch@store.test', password: 'secret-password' });
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const other = new PgMailStore({ url: db.url, poolSize: 2 });
    try {
      const seen: FolderChange[] = [];
      const got = new Promise<void>((resolve) => {
        other.watch(inbox.id, (c) => {
          seen.push(c);
          resolve();
        });
      });
      await other.watching();
      const [out] = await store.deliver(await spoolBuffer(message(8)), [{ mailboxId: mb.mailboxId }]);
      await got;
      expect(seen[0]).toMatchObject({ folderId: inbox.id, kind: 'append', modseq: out!.status === 'stored' ? out!.modseq : -1 });
    } finally {
      await other.close();
    }
  });

  it('gives the POP3 maildrop lock to one holder at a time, across connections', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'lock@store.test', password: 'secret-password' });
    const other = new PgMailStore({ url: db.url, poolSize: 1 });
    try {
      const first = await store.lockMaildrop(mb.mailboxId);
      expect(first).toBeDefined();
      expect(await other.lockMaildrop(mb.mailboxId)).toBeUndefined();
      await first!.release();
      const second = await other.lockMaildrop(mb.mailboxId);
      expect(second).toBeDefined();
      await second!.release();
    } finally {
      await other.close();
    }
  });

  it('counts received mail per day and announces quota crossings at 80, 90 and 100%', async () => {
    const size = message(1).length;
    const mb = await seedMailbox(db.dataSource, { address: 'stats@store.test', password: 'secret-password', quotaBytes: size * 10 });
    const listener = new (await import('pg')).default.Client({ connectionString: db.url });
    await listener.connect();
    const events: unknown[] = [];
    listener.on('notification', (n) => n.channel === 'darwin_events' && events.push(JSON.parse(n.payload!)));
    await listener.query('LISTEN darwin_events');
    try {
      for (let i = 0; i < 10; i++) await store.deliver(await spoolBuffer(message(i)), [{ mailboxId: mb.mailboxId }], { countAsReceived: i % 2 === 0 });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await listener.end();
    }
    expect(events).toEqual([80, 90, 100].map((percent) => ({ type: 'quota.crossed', tenantId: mb.tenantId, mailboxId: mb.mailboxId, percent })));
    const [row] = await db.dataSource.query('SELECT received_messages, received_bytes::int AS b FROM mail_stats_daily WHERE mailbox_id = $1', [mb.mailboxId]);
    expect(row).toEqual({ received_messages: 5, b: size * 5 });
  });

  it('accepts local copies and outbound queue rows in one transaction, sharing one blob, counting sent mail', async () => {
    const sender = await seedMailbox(db.dataSource, { address: 'sender@accept.test', password: 'secret-password' });
    const local = await seedMailbox(db.dataSource, { address: 'local@accept.test', password: 'secret-password' });
    const spooled = await spoolBuffer(message(500));
    const result = await store.accept(
      spooled,
      {
        targets: [{ mailboxId: local.mailboxId }, { mailboxId: sender.mailboxId, folder: 'Sent', flags: ['\\Seen'] }],
        outbound: {
          tenantId: sender.tenantId,
          mailboxId: sender.mailboxId,
          mailFrom: 'sender@accept.test',
          recipients: [{ address: 'a@Remote.example', dsn: { notify: ['FAILURE'] } }, { address: 'b@other.example' }],
          dsn: { ret: 'HDRS', envid: 'env-1' },
          countAsSent: true,
        },
      },
    );
    expect(result.local.map((o) => o.status)).toEqual(['stored', 'stored']);
    expect(result.queued).toHaveLength(2);
    const rows = await db.dataSource.query('SELECT rcpt_to, rcpt_domain, mail_from, state, dsn, blob_id FROM outbound_queue WHERE id = ANY ($1::bigint[]) ORDER BY id', [result.queued]);
    expect(rows.map((r: { rcpt_domain: string }) => r.rcpt_domain)).toEqual(['remote.example', 'other.example']);
    expect(rows[0]).toMatchObject({ rcpt_to: 'a@Remote.example', mail_from: 'sender@accept.test', state: 'queued', dsn: { ret: 'HDRS', envid: 'env-1', notify: ['FAILURE'] } });
    const [blob] = await db.dataSource.query('SELECT refcount FROM blobs WHERE id = $1', [rows[0].blob_id]);
    expect(blob.refcount).toBe(4);
    const [stats] = await db.dataSource.query('SELECT sent_messages, sent_bytes::int AS b FROM mail_stats_daily WHERE mailbox_id = $1', [sender.mailboxId]);
    expect(stats).toEqual({ sent_messages: 1, b: spooled.size });
    // Queue rows alone (no local copy) still store the blob.
    const only = await store.accept(await spoolBuffer(message(501)), { targets: [], outbound: { tenantId: sender.tenantId, mailboxId: null, mailFrom: '', recipients: [{ address: 'x@remote.example' }] } });
    expect(only).toEqual({ local: [], queued: [expect.any(String)] });
  });

  it('keeps maildrop locks on pooled connections, opening dedicated ones when the pool is used up', async () => {
    const one = await seedMailbox(db.dataSource, { address: 'pool1@lock.test', password: 'secret-password' });
    const two = await seedMailbox(db.dataSource, { address: 'pool2@lock.test', password: 'secret-password' });
    const small = new PgMailStore({ url: db.url, poolSize: 1, maildropLockConnections: 1 });
    const other = new PgMailStore({ url: db.url, poolSize: 1 });
    try {
      const a = await small.lockMaildrop(one.mailboxId);
      const b = await small.lockMaildrop(two.mailboxId); // pool of one is busy: a dedicated connection
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      expect(await other.lockMaildrop(one.mailboxId)).toBeUndefined();
      expect(await other.lockMaildrop(two.mailboxId)).toBeUndefined();
      await a!.release();
      await b!.release();
      // The pooled connection went back to the pool without its lock.
      const again = await other.lockMaildrop(one.mailboxId);
      expect(again).toBeDefined();
      await again!.release();
      const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`);
      expect(n).toBe(0);
    } finally {
      await small.close();
      await other.close();
    }
  });

  it('lists a maildrop compactly: id, uid, size, blob and \\Seen in UID order', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'list@maildrop.test', password: 'secret-password' });
    for (let i = 0; i < 3; i++) await store.deliver(await spoolBuffer(message(800 + i)), [{ mailboxId: mb.mailboxId }]);
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    await store.updateFlags(inbox.id, [2], 'add', ['\\Seen']);
    const full = await store.listMessages(inbox.id);
    expect(await store.listMaildrop(inbox.id)).toEqual(full.map((m) => ({ id: m.id, uid: m.uid, size: m.size, blobId: m.blobId, seen: m.flags.includes('\\Seen') })));
    expect((await store.listMaildrop(inbox.id)).map((m) => m.seen)).toEqual([false, true, false]);
    const empty = (await store.getFolder(mb.mailboxId, 'Trash'))!;
    expect(await store.listMaildrop(empty.id)).toEqual([]);
  });

  it('finds accounts case-insensitively with their effective settings', async () => {
    await seedMailbox(db.dataSource, { address: 'Mixed.Case@Store.test', password: 'secret-password' });
    const acc = await store.findAccount('MIXED.case@store.TEST');
    expect(acc?.address).toBe('mixed.case@store.test');
    expect(acc).toMatchObject({ imapEnabled: true, pop3Enabled: true, tenantActive: true, domainActive: true, loginSuspended: false });
    expect(await store.findAccount('nobody@store.test')).toBeUndefined();
    expect(await text(store.openBlob('999999999'))).toBe('');
  });

  it("takes IMAP and POP3 access from the plan unless the mailbox overrides it", async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'switch@plan-switch.test', password: 'secret-password' });
    const plan = `(SELECT t.plan_id FROM tenants t JOIN mailboxes m ON m.tenant_id = t.id WHERE m.id = $1)`;
    await db.dataSource.query(`UPDATE mailboxes SET imap_enabled = NULL, pop3_enabled = NULL WHERE id = $1`, [mb.mailboxId]);
    await db.dataSource.query(`UPDATE plans SET imap_enabled = false, pop3_enabled = false WHERE id = ${plan}`, [mb.mailboxId]);
    expect(await store.findAccount('switch@plan-switch.test')).toMatchObject({ imapEnabled: false, pop3Enabled: false });
    await db.dataSource.query(`UPDATE mailboxes SET imap_enabled = true WHERE id = $1`, [mb.mailboxId]);
    expect(await store.findAccount('switch@plan-switch.test')).toMatchObject({ imapEnabled: true, pop3Enabled: false });
    await db.dataSource.query(`UPDATE plans SET imap_enabled = true, pop3_enabled = true WHERE id = ${plan}`, [mb.mailboxId]);
    await db.dataSource.query(`UPDATE mailboxes SET imap_enabled = NULL, pop3_enabled = false WHERE id = $1`, [mb.mailboxId]);
    expect(await store.findAccount('switch@plan-switch.test')).toMatchObject({ imapEnabled: true, pop3Enabled: false });
  });
});
