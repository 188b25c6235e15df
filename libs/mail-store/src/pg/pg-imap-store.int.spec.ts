import { text } from 'node:stream/consumers';
import { createTestDatabase, seedMailbox, type TestDatabase } from '@darwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spool, spoolBuffer } from '../spool.js';
import { PgMailStore } from './pg-mail-store.js';

const MIXED = Buffer.from(
  [
    'From: Alice <alice@example.org>',
    'To: bob@example.com',
    'Cc: Carol <carol@example.net>',
    'Subject: =?UTF-8?Q?Quarterly_r=C3=A9sum=C3=A9?=',
    'Date: Wed, 04 Mar 2026 10:00:00 +0100',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Das Ergebnis f=FCr Zebrafische ist da.',
    '--b1',
    'Content-Type: text/html',
    '',
    '<p>Rhinoceros <i>party</i></p>',
    '--b1--',
    '',
  ].join('\r\n'),
);

function plain(n: number, extra = '', body = `body ${n}`): Buffer {
  return Buffer.from(`From: sender${n}@example.org\r\nTo: box@store.test\r\nSubject: note ${n}\r\n${extra}\r\n${body}\r\n`);
}

describe('PgMailStore for IMAP', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url, poolSize: 10 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  async function deliver(mailboxId: string, raw: Buffer, folder?: string, internalDate?: Date): Promise<number> {
    const [out] = await store.deliver(await spoolBuffer(raw), [{ mailboxId, folder }], { internalDate });
    if (out?.status !== 'stored') throw new Error(out?.status);
    return out.uid;
  }

  it('pruneExpunged drops old expunge records and raises the horizon, so listings say when they are incomplete', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'prune@store.test', password: 'secret-password' });
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    for (let i = 1; i <= 6; i++) await deliver(mb.mailboxId, plain(i));
    const start = (await store.folderStatus(inbox.id)).highestModseq;
    await store.expunge(inbox.id, { uids: [1, 2], onlyDeleted: false });
    const middle = (await store.folderStatus(inbox.id)).highestModseq;
    await store.expunge(inbox.id, { uids: [4], onlyDeleted: false });
    // The first expunge is old; the second is recent.
    await db.dataSource.query(`UPDATE expunged_messages SET expunged_at = now() - interval '40 days' WHERE folder_id = $1 AND uid IN (1, 2)`, [inbox.id]);
    expect(await store.listExpungedSince(inbox.id, start)).toEqual({ uids: [{ uid: 1, modseq: middle }, { uid: 2, modseq: middle }, { uid: 4, modseq: middle + 1 }], complete: true, horizon: 0 });
    expect(await store.pruneExpunged(new Date(Date.now() - 30 * 86_400_000))).toBe(2);
    expect(await store.pruneExpunged(new Date(Date.now() - 30 * 86_400_000))).toBe(0);
    // From before the pruned expunge the record is incomplete; from after it, complete.
    expect(await store.listExpungedSince(inbox.id, start)).toEqual({ uids: [{ uid: 4, modseq: middle + 1 }], complete: false, horizon: middle });
    expect(await store.listExpungedSince(inbox.id, middle)).toEqual({ uids: [{ uid: 4, modseq: middle + 1 }], complete: true, horizon: middle });
  });

  it('claimRecent gives each UID to exactly one of many concurrent claimers, while mail keeps arriving', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'recent@store.test', password: 'secret-password' });
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    for (let i = 1; i <= 5; i++) await deliver(mb.mailboxId, plain(i));
    expect(await store.folderStatus(inbox.id)).toMatchObject({ recent: 5, recentUid: 1 });
    const claims = await Promise.all([
      ...Array.from({ length: 8 }, () => store.claimRecent(inbox.id)),
      deliver(mb.mailboxId, plain(6)),
      deliver(mb.mailboxId, plain(7)),
      ...Array.from({ length: 8 }, () => store.claimRecent(inbox.id)),
    ]);
    claims.push(await store.claimRecent(inbox.id));
    const taken: number[] = [];
    for (const c of claims) if (typeof c === 'object') for (let u = c.from; u < c.to; u++) taken.push(u);
    expect(taken.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await store.claimRecent(inbox.id)).toEqual({ from: 0, to: 0 });
    expect(await store.folderStatus(inbox.id)).toMatchObject({ recent: 0, recentUid: 8 });
  });

  it('stores ENVELOPE and the MIME structure at delivery, and reads byte ranges of a blob', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'structure@store.test', password: 'secret-password' });
    await deliver(mb.mailboxId, MIXED);
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const [row] = await db.dataSource.query('SELECT envelope, bodystructure, header_text, body_text, envelope_imap FROM messages WHERE folder_id = $1', [inbox.id]);
    expect(row.envelope.subject).toBe('=?UTF-8?Q?Quarterly_r=C3=A9sum=C3=A9?=');
    // The IMAP wire form is rendered once, at delivery.
    expect(row.envelope_imap).toBe(
      '("Wed, 04 Mar 2026 10:00:00 +0100" "=?UTF-8?Q?Quarterly_r=C3=A9sum=C3=A9?=" (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) ((NIL NIL "bob" "example.com")) (("Carol" NIL "carol" "example.net")) NIL NIL NIL)',
    );
    expect(row.bodystructure.root.parts).toHaveLength(2);
    expect(row.header_text).toContain('subject: Quarterly résumé');
    // The body text waits for the first body search of the folder, which extracts it once.
    expect(row.body_text).toBeNull();
    expect(await store.search(inbox.id, { type: 'body', value: 'rhinoceros' })).toHaveLength(1);
    const [searched] = await db.dataSource.query('SELECT body_text, search_indexed FROM messages WHERE folder_id = $1', [inbox.id]);
    expect(searched.body_text).toContain('für Zebrafische');
    expect(searched.body_text).toContain('Rhinoceros party');
    expect(searched.search_indexed).toBe(true);
    const [m] = await store.listMessages(inbox.id, {}, { structure: true });
    const part = m!.structure!.root.parts![0]!;
    expect(await text(store.openBlob(m!.blobId, { start: part.bs, end: part.be }))).toBe('Das Ergebnis f=FCr Zebrafische ist da.');
    // Rows stored before structures existed are filled in on first use.
    await db.dataSource.query('UPDATE messages SET envelope = NULL, bodystructure = NULL, envelope_imap = NULL WHERE folder_id = $1', [inbox.id]);
    const [again] = await store.listMessages(inbox.id, {}, { structure: true, envelope: true });
    expect(again!.structure).toEqual(m!.structure);
    expect(again!.envelopeImap).toBe(row.envelope_imap);
  });

  it('reads ranges across 256 KiB chunk boundaries exactly', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'ranges@store.test', password: 'secret-password' });
    const body = Buffer.alloc(700_000);
    for (let i = 0; i < body.length; i++) body[i] = 0x41 + (i % 26);
    const raw = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), body]);
    await deliver(mb.mailboxId, raw);
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const [m] = await store.listMessages(inbox.id);
    for (const [start, end] of [
      [0, 10],
      [262_140, 262_150],
      [100, 600_000],
      [524_288, 524_289],
      [raw.length - 5, raw.length],
      [10, 10],
    ] as const) {
      const parts: Buffer[] = [];
      for await (const c of store.openBlob(m!.blobId, { start, end })) parts.push(c as Buffer);
      expect(Buffer.concat(parts).equals(raw.subarray(start, end))).toBe(true);
    }
  });

  it('SEARCH keys are evaluated in SQL: flags, sizes, dates, headers, body, text, OR/NOT, UIDs, MODSEQ', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'search@store.test', password: 'secret-password' });
    const d = (s: string) => new Date(s);
    await deliver(mb.mailboxId, MIXED, undefined, d('2026-03-04T12:00:00Z'));
    await deliver(mb.mailboxId, plain(2, 'X-Mailer: Zebra 1.0\r\n'), undefined, d('2026-03-05T12:00:00Z'));
    await deliver(mb.mailboxId, plain(3), undefined, d('2026-03-06T12:00:00Z'));
    const f = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    await store.updateFlags(f.id, [2], 'add', ['\\Seen', '$Work']);
    const uids = async (key: Parameters<PgMailStore['search']>[1]) => (await store.search(f.id, key)).map((h) => h.uid);
    expect(await uids({ type: 'all' })).toEqual([1, 2, 3]);
    expect(await uids({ type: 'flag', flag: '\\Seen', present: false })).toEqual([1, 3]);
    expect(await uids({ type: 'flag', flag: '$Work', present: true })).toEqual([2]);
    expect(await uids({ type: 'size', op: 'larger', bytes: 200 })).toEqual([1]);
    expect(await uids({ type: 'date', field: 'internal', op: 'on', date: '2026-03-05' })).toEqual([2]);
    expect(await uids({ type: 'date', field: 'internal', op: 'before', date: '2026-03-05' })).toEqual([1]);
    expect(await uids({ type: 'date', field: 'internal', op: 'since', date: '2026-03-05' })).toEqual([2, 3]);
    expect(await uids({ type: 'date', field: 'sent', op: 'on', date: '2026-03-04' })).toEqual([1]);
    expect(await uids({ type: 'header', field: 'subject', value: 'RÉSUMÉ' })).toEqual([1]);
    expect(await uids({ type: 'header', field: 'cc', value: 'carol' })).toEqual([1]);
    expect(await uids({ type: 'header', field: 'x-mailer', value: '' })).toEqual([2]);
    expect(await uids({ type: 'body', value: 'zebrafische' })).toEqual([1]);
    expect(await uids({ type: 'body', value: 'zebra' })).toEqual([1]);
    expect(await uids({ type: 'text', value: 'zebra' })).toEqual([1, 2]);
    expect(await uids({ type: 'body', value: '100%_' })).toEqual([]);
    expect(await uids({ type: 'or', a: { type: 'uid', ranges: [{ from: 1, to: 1 }] }, b: { type: 'header', field: 'from', value: 'sender3' } })).toEqual([1, 3]);
    expect(await uids({ type: 'not', key: { type: 'uid', ranges: [{ from: 2, to: 4294967295 }] } })).toEqual([1]);
    const top = Math.max(...(await store.search(f.id, { type: 'all' })).map((h) => h.modseq));
    expect(await uids({ type: 'modseq', min: top })).toEqual([2]);
    // Body search extracted the folder's text lazily; mail that arrives later is extracted by the next body search.
    const [{ n: unindexed }] = await db.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE folder_id = $1 AND NOT search_indexed', [f.id]);
    expect(unindexed).toBe(0);
    await deliver(mb.mailboxId, plain(4, '', 'a late zebra'), undefined, d('2026-03-07T12:00:00Z'));
    const [{ n: late }] = await db.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE folder_id = $1 AND NOT search_indexed', [f.id]);
    expect(late).toBe(1);
    expect(await uids({ type: 'body', value: 'late zebra' })).toEqual([4]);
    expect(await uids({ type: 'not', key: { type: 'body', value: 'zebra' } })).toEqual([2, 3]);
    await db.dataSource.query('UPDATE messages SET body_text = NULL WHERE folder_id = $1 AND uid = 3', [f.id]);
    expect(await uids({ type: 'not', key: { type: 'body', value: 'zebra' } })).toEqual([2, 3]);
  });

  it('extracts body text at the first body search, in batches, from one-chunk and streamed blobs, and copies keep it', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'lazy@store.test', password: 'secret-password' });
    for (let i = 1; i <= 130; i++) await deliver(mb.mailboxId, plain(i, '', i % 50 === 0 ? `needle ${i}` : `hay ${i}`));
    // A text part after a 300 KB attachment: only found by reading the blob's second 256 KiB chunk.
    const attachment = Buffer.alloc(300_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const multipart = `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b\r\nContent-Type: text/plain\r\n\r\nthe deep-needle\r\n--b--`;
    await deliver(mb.mailboxId, Buffer.from(`From: sender131@example.org\r\nSubject: note 131\r\n${multipart}\r\n`));
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const pending = async () => (await db.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE folder_id = $1 AND NOT search_indexed', [inbox.id]))[0].n;
    expect(await pending()).toBe(131);
    // A search that does not look at bodies extracts nothing.
    expect((await store.search(inbox.id, { type: 'header', field: 'subject', value: 'note 7' })).length).toBeGreaterThan(0);
    expect(await pending()).toBe(131);
    const hits = (await store.search(inbox.id, { type: 'body', value: 'needle' })).map((h) => h.uid);
    expect(hits).toEqual([50, 100, 131]);
    expect(await pending()).toBe(0);
    expect((await store.search(inbox.id, { type: 'text', value: 'deep-needle' })).map((h) => h.uid)).toEqual([131]);
    const trash = (await store.getFolder(mb.mailboxId, 'Trash'))!;
    await store.copyMessages(inbox.id, [50, 131], trash.id);
    const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM messages WHERE folder_id = $1 AND search_indexed AND body_text IS NOT NULL', [trash.id]);
    expect(n).toBe(2);
    expect((await store.search(trash.id, { type: 'body', value: 'needle' })).map((h) => h.uid)).toEqual([1, 2]);
  });

  it('copies and moves with new UIDs, COPYUID pairs, shared blobs, quota charged for copies only, expunges recorded', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'copy@store.test', password: 'secret-password' });
    for (let i = 1; i <= 3; i++) await deliver(mb.mailboxId, plain(i, 'X-Test: copy\r\n'));
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const trash = (await store.getFolder(mb.mailboxId, 'Trash'))!;
    const before = await store.quota(mb.mailboxId);
    const copied = await store.copyMessages(inbox.id, [1, 3], trash.id);
    expect(copied).toEqual({ status: 'done', uidvalidity: trash.uidvalidity, pairs: [[1, 1], [3, 2]] });
    const after = await store.quota(mb.mailboxId);
    expect(after.usedMessages).toBe(before.usedMessages + 2);
    const [refs] = await db.dataSource.query('SELECT max(b.refcount)::int AS r FROM blobs b JOIN messages m ON m.blob_id = b.id WHERE m.mailbox_id = $1', [mb.mailboxId]);
    expect(refs.r).toBe(2);
    const modseqBefore = (await store.folderStatus(inbox.id)).highestModseq;
    const moved = await store.moveMessages(inbox.id, [2, 3], trash.id);
    expect(moved).toEqual({ status: 'done', uidvalidity: trash.uidvalidity, pairs: [[2, 3], [3, 4]] });
    expect((await store.quota(mb.mailboxId)).usedMessages).toBe(after.usedMessages);
    expect(await store.listUids(inbox.id)).toEqual([1]);
    expect(await store.listUids(trash.id)).toEqual([1, 2, 3, 4]);
    expect((await store.listExpungedSince(inbox.id, modseqBefore)).uids.map((e) => e.uid)).toEqual([2, 3]);
    await store.expunge(trash.id, { onlyDeleted: false });
    expect((await store.quota(mb.mailboxId)).usedMessages).toBe(1);
    // A copy that does not fit the quota stores nothing.
    await db.dataSource.query('UPDATE mailboxes SET quota_bytes = used_bytes WHERE id = $1', [mb.mailboxId]);
    expect(await store.copyMessages(inbox.id, [1], trash.id)).toEqual({ status: 'over_quota' });
    expect(await store.listUids(trash.id)).toEqual([]);
  });

  it('STORE with UNCHANGEDSINCE leaves newer messages alone and names them', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'unchanged@store.test', password: 'secret-password' });
    for (let i = 1; i <= 2; i++) await deliver(mb.mailboxId, plain(i));
    const f = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    const [m1, m2] = await store.listMessages(f.id);
    const r = await store.storeFlags(f.id, [1, 2], 'add', ['\\Flagged'], { unchangedSince: m1!.modseq });
    expect(r.modified).toEqual([2]);
    expect(r.updated.map((u) => u.uid)).toEqual([1]);
    expect(m2!.modseq).toBeGreaterThan(m1!.modseq);
  });

  it('creates, renames (with children; INBOX moves its mail) and deletes folders within the limit', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'folders@store.test', password: 'secret-password' });
    expect((await store.createFolder(mb.mailboxId, 'Projects', { maxFolders: 10 })).status).toBe('created');
    expect((await store.createFolder(mb.mailboxId, 'Projects/2026', { maxFolders: 10 })).status).toBe('created');
    expect((await store.createFolder(mb.mailboxId, 'Projects', { maxFolders: 10 })).status).toBe('exists');
    expect((await store.createFolder(mb.mailboxId, 'inbox', { maxFolders: 10 })).status).toBe('exists');
    expect((await store.createFolder(mb.mailboxId, 'More', { maxFolders: 7 })).status).toBe('too_many');
    expect((await store.renameFolder(mb.mailboxId, 'Projects', 'Work', { maxFolders: 10 })).status).toBe('renamed');
    const names = async () => (await store.listFolders(mb.mailboxId)).map((f) => f.name).sort();
    expect(await names()).toEqual(['Drafts', 'INBOX', 'Junk', 'Sent', 'Trash', 'Work', 'Work/2026']);
    expect((await store.renameFolder(mb.mailboxId, 'Work', 'Sent', { maxFolders: 10 })).status).toBe('exists');
    expect((await store.renameFolder(mb.mailboxId, 'Nope', 'X', { maxFolders: 10 })).status).toBe('nonexistent');
    await deliver(mb.mailboxId, plain(1));
    await deliver(mb.mailboxId, plain(2));
    expect((await store.renameFolder(mb.mailboxId, 'INBOX', 'Old', { maxFolders: 10 })).status).toBe('renamed');
    const old = (await store.getFolder(mb.mailboxId, 'Old'))!;
    expect(await store.listUids(old.id)).toEqual([1, 2]);
    expect(old.uidnext).toBe(3);
    const inbox = (await store.getFolder(mb.mailboxId, 'INBOX'))!;
    expect(await store.listUids(inbox.id)).toEqual([]);
    const usage = await store.quota(mb.mailboxId);
    expect(await store.deleteFolder(old.id)).toBe(true);
    expect((await store.quota(mb.mailboxId)).usedMessages).toBe(usage.usedMessages - 2);
    expect(await store.getFolder(mb.mailboxId, 'Old')).toBeUndefined();
  });

  it('the spool parses while writing, so delivery of a file-spooled message does not re-read it for the structure', async () => {
    const s = new Spool({ maxBytes: 10_000_000, memoryBytes: 1024 });
    await s.write(MIXED.subarray(0, 100));
    await s.write(MIXED.subarray(100));
    const spooled = await s.finish();
    expect(spooled.mime?.structure.root.parts).toHaveLength(2);
    await spooled.dispose();
  });
});
