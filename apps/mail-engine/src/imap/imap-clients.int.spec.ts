import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTls } from '../testing/test-engine-context.js';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

const run = promisify(execFile);
const USER = 'client@imap.test';
const PASSWORD = 'p4ss "with" quotes\\';
const CURL_USER = 'curl@imap.test';
const CURL_PASSWORD = 'curl-secret';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Messages that are easy to mangle: a dot-stuffing candidate, 8-bit UTF-8, and > 300 KB over several store chunks. */
const MESSAGES: Buffer[] = [
  Buffer.from('From: a@example.org\r\nTo: client@imap.test\r\nSubject: plain\r\n\r\nJust text.\r\n'),
  Buffer.from(
    'From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\r\nTo: client@imap.test\r\nSubject: dots and 8-bit\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' +
      '.leading dot\r\n..two dots\r\n.\r\nGrüße, naïve café ✓ 日本語\r\n',
  ),
  Buffer.concat([
    Buffer.from('From: big@example.org\r\nTo: client@imap.test\r\nSubject: large\r\n\r\n'),
    Buffer.from(Array.from({ length: 5000 }, (_, i) => `${i % 7 === 0 ? '.' : ''}line ${i} ${'é'.repeat(i % 13)} ${'x'.repeat(50)}\r\n`).join('')),
  ]),
];
const DATES = [new Date('2026-01-02T03:04:05Z'), new Date('2026-06-30T12:00:00Z'), new Date('2026-12-31T23:59:59Z')];

describe('IMAP with real clients', () => {
  let t: ImapTestServer;

  beforeAll(async () => {
    expect(MESSAGES[2]!.length).toBeGreaterThan(300 * 1024);
    t = await startImapTestServer();
    for (const [address, password] of [
      [USER, PASSWORD],
      [CURL_USER, CURL_PASSWORD],
    ] as const) {
      const mb = await t.seed(address, password);
      for (let i = 0; i < MESSAGES.length; i++) await t.deliver(mb.mailboxId, MESSAGES[i]!, { internalDate: DATES[i] });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imapflow: login, open INBOX, fetch uid/flags/size/internalDate/source byte-identical, logout', async () => {
    // imapflow upgrades with STARTTLS when offered: the test certificate is trusted explicitly.
    const tls = { ca: [(await testTls()).certPem], servername: 'mail.darwin.test' };
    const client = new ImapFlow({ host: '127.0.0.1', port: t.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false, tls });
    await client.connect();
    expect(client.secureConnection).toBe(true);
    try {
      const box = await client.mailboxOpen('INBOX');
      expect(box.exists).toBe(3);
      expect(box.uidNext).toBe(4);
      expect(box.readOnly).toBe(false);
      const got = [];
      for await (const m of client.fetch('1:*', { uid: true, flags: true, size: true, internalDate: true, source: true })) got.push(m);
      expect(got.map((m) => m.uid)).toEqual([1, 2, 3]);
      for (let i = 0; i < 3; i++) {
        const m = got[i]!;
        expect(m.size).toBe(MESSAGES[i]!.length);
        expect(m.source!.length).toBe(MESSAGES[i]!.length);
        expect(sha(m.source!)).toBe(sha(MESSAGES[i]!));
        expect((m.internalDate as Date).toISOString()).toBe(DATES[i]!.toISOString());
        // The first session to open the mailbox: \Recent and nothing else.
        expect([...(m.flags ?? [])]).toEqual(['\\Recent']);
      }
      // By UID, and a single message by sequence number.
      const byUid = await client.fetchOne('2', { source: true, flags: true }, { uid: true });
      expect(byUid && byUid.source!.equals(MESSAGES[1]!)).toBe(true);
      // BODY.PEEK (what imapflow sends for source) must not have set \Seen.
      const flags = await client.fetchOne('*', { flags: true });
      expect(flags && [...flags.flags!]).toEqual(['\\Recent']);
    } finally {
      await client.logout();
    }
  });

  it('imapflow: a wrong password is an authentication failure', async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port: t.port, secure: false, auth: { user: USER, pass: 'wrong' }, logger: false, doSTARTTLS: false });
    client.on('error', () => {});
    const err = await client.connect().then(
      () => undefined,
      (e: unknown) => e as { authenticationFailed?: boolean; serverResponseCode?: string },
    );
    expect(err?.authenticationFailed).toBe(true);
    expect(err?.serverResponseCode).toBe('AUTHENTICATIONFAILED');
    client.close();
  });

  it('curl prints the exact bytes of a message, and of the 300 KB one', async () => {
    for (const uid of [1, 2, 3]) {
      const { stdout } = await run('curl', ['-s', '--max-time', '20', `imap://127.0.0.1:${t.port}/INBOX;UID=${uid}`, '-u', `${CURL_USER}:${CURL_PASSWORD}`], {
        encoding: 'buffer',
        maxBuffer: 10 * 1024 * 1024,
      });
      expect(stdout.length).toBe(MESSAGES[uid - 1]!.length);
      expect(sha(stdout)).toBe(sha(MESSAGES[uid - 1]!));
    }
  });

  it('curl with a wrong password fails with its login-denied exit code', async () => {
    const res = await run('curl', ['-s', `imap://127.0.0.1:${t.port}/INBOX;UID=1`, '-u', `${CURL_USER}:nope`]).then(
      () => 0,
      (e: { code?: number }) => e.code,
    );
    expect(res).toBe(67); // CURLE_LOGIN_DENIED
  });

  it("Python's imaplib: login, select, UID FETCH of bodies and sizes", async () => {
    const script = `
import imaplib, hashlib, json, sys
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
M = imaplib.IMAP4('127.0.0.1', port)
out = {'caps': sorted(M.capabilities)}
M.login(user, pw)
typ, data = M.select('INBOX')
out['select'] = [typ, data[0].decode()]
typ, data = M.uid('FETCH', '1:*', '(UID RFC822.SIZE BODY.PEEK[])')
out['fetch'] = typ
out['bodies'] = [hashlib.sha256(part[1]).hexdigest() for part in data if isinstance(part, tuple)]
out['heads'] = [part[0].decode() for part in data if isinstance(part, tuple)]
typ, data = M.fetch('2', '(FLAGS)')
out['flags'] = data[0].decode()
out['logout'] = M.logout()[0]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script, String(t.port), USER, PASSWORD], { maxBuffer: 10 * 1024 * 1024 });
    const out = JSON.parse(stdout) as { caps: string[]; select: string[]; fetch: string; bodies: string[]; heads: string[]; flags: string; logout: string };
    expect(out.caps).toEqual(['AUTH=LOGIN', 'AUTH=PLAIN', 'ENABLE', 'ID', 'IDLE', 'IMAP4REV1', 'LITERAL+', 'SASL-IR', 'STARTTLS']);
    expect(out.select).toEqual(['OK', '3']);
    expect(out.fetch).toBe('OK');
    expect(out.bodies).toEqual(MESSAGES.map(sha));
    expect(out.heads).toEqual(MESSAGES.map((m, i) => `${i + 1} (UID ${i + 1} RFC822.SIZE ${m.length} BODY[] {${m.length}}`));
    expect(out.flags).toBe('2 (FLAGS ())');
    expect(out.logout).toBe('BYE');
  });

  it('curl lists mailboxes and searches a mailbox', async () => {
    const list = await run('curl', ['-s', '--max-time', '20', `imap://127.0.0.1:${t.port}/`, '-u', `${CURL_USER}:${CURL_PASSWORD}`]);
    expect(list.stdout.split('\r\n').filter(Boolean)).toEqual([
      '* LIST (\\HasNoChildren) "/" INBOX',
      '* LIST (\\HasNoChildren \\Drafts) "/" Drafts',
      '* LIST (\\HasNoChildren \\Junk) "/" Junk',
      '* LIST (\\HasNoChildren \\Sent) "/" Sent',
      '* LIST (\\HasNoChildren \\Trash) "/" Trash',
    ]);
    const search = await run('curl', ['-s', '--max-time', '20', `imap://127.0.0.1:${t.port}/INBOX?SUBJECT%20large`, '-u', `${CURL_USER}:${CURL_PASSWORD}`]);
    expect(search.stdout.trim()).toBe('* SEARCH 3');
    const body = await run('curl', ['-s', '--max-time', '20', `imap://127.0.0.1:${t.port}/INBOX?BODY%20%22two%20dots%22`, '-u', `${CURL_USER}:${CURL_PASSWORD}`]);
    expect(body.stdout.trim()).toBe('* SEARCH 2');
  });

  it('mbsync (isync) syncs a mailbox both ways with flags', async () => {
    const user = 'mbsync@imap.test';
    const password = 'mbsync-secret';
    const mb = await t.seed(user, password);
    for (let i = 0; i < 3; i++) await t.deliver(mb.mailboxId, MESSAGES[i]!, { internalDate: DATES[i], flags: i === 0 ? ['\\Seen'] : [] });
    const dir = await mkdtemp(join(tmpdir(), 'darwin-mbsync-'));
    try {
      const rc = join(dir, 'mbsyncrc');
      await writeFile(
        rc,
        [
          'IMAPAccount darwin',
          'Host 127.0.0.1',
          `Port ${t.port}`,
          `User ${user}`,
          `Pass ${password}`,
          'SSLType None',
          'AuthMechs LOGIN',
          '',
          'IMAPStore remote',
          'Account darwin',
          '',
          'MaildirStore local',
          `Path ${dir}/mail/`,
          `Inbox ${dir}/mail/INBOX`,
          '',
          'Channel sync',
          'Far :remote:',
          'Near :local:',
          'Patterns INBOX',
          'Create Both',
          'Expunge Both',
          'SyncState *',
          'Sync All',
          '',
        ].join('\n'),
      );
      await mkdir(join(dir, 'mail'));
      const sync = () => run('mbsync', ['-c', rc, '-a'], { cwd: dir });
      await sync();
      // Unseen messages land in new/, seen ones in cur/; Maildir files have LF line ends, and
      // mbsync adds its X-TUID header.
      const norm = (b: Buffer) => b.toString('latin1').replace(/\r\n/g, '\n').replace(/^X-TUID: .*\n/m, '');
      const same = (a: Buffer, b: Buffer) => norm(a) === norm(b);
      const box = join(dir, 'mail/INBOX');
      const listing = async () => {
        const out: { path: string; name: string; data: Buffer }[] = [];
        for (const sub of ['cur', 'new']) for (const f of await readdir(join(box, sub))) out.push({ path: join(box, sub, f), name: f, data: await readFile(join(box, sub, f)) });
        return out;
      };
      const files = await listing();
      expect(files).toHaveLength(3);
      for (const m of MESSAGES) expect(files.filter((f) => same(f.data, m))).toHaveLength(1);
      expect(files.find((f) => same(f.data, MESSAGES[0]!))!.name).toMatch(/:2,S$/);
      // Locally: flag message 2 and mark it seen, and write a new message; then sync back up.
      const second = files.find((f) => same(f.data, MESSAGES[1]!))!;
      await rename(second.path, join(box, 'cur', `${second.name.replace(/:2,.*$/, '')}:2,FS`));
      const fresh = Buffer.from('From: me@example.org\r\nTo: mbsync@imap.test\r\nSubject: written offline\r\n\r\nHello from the maildir.\r\n');
      await writeFile(join(box, 'new', `${Date.now()}.1.local`), fresh);
      await sync();
      const inbox = (await t.store.getFolder(mb.mailboxId, 'INBOX'))!;
      const msgs = await t.store.listMessages(inbox.id);
      expect(msgs).toHaveLength(4);
      expect([...msgs[1]!.flags].sort()).toEqual(['\\Flagged', '\\Seen']);
      const parts: Buffer[] = [];
      for await (const c of t.store.openBlob(msgs[3]!.blobId)) parts.push(c as Buffer);
      expect(Buffer.concat(parts).toString()).toContain('Hello from the maildir.');
      // On the server: flag message 3 and delete message 1; the next sync brings both down.
      await t.store.updateFlags(inbox.id, [3], 'add', ['\\Flagged']);
      await t.store.expunge(inbox.id, { uids: [1], onlyDeleted: false });
      await sync();
      const after = await listing();
      expect(after).toHaveLength(3);
      expect(after.some((f) => same(f.data, MESSAGES[0]!))).toBe(false);
      expect(after.find((f) => same(f.data, MESSAGES[2]!))!.name).toMatch(/:2,F$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('imapflow: a whole client session: ENABLE QRESYNC, LIST-STATUS, flags, SEARCH, APPEND, MOVE, IDLE push, QUOTA, mailbox management', async () => {
    const user = 'flow@imap.test';
    const mb = await t.seed(user, PASSWORD);
    for (let i = 0; i < 3; i++) await t.deliver(mb.mailboxId, MESSAGES[i]!, { internalDate: DATES[i] });
    const tls = { ca: [(await testTls()).certPem], servername: 'mail.darwin.test' };
    const client = new ImapFlow({ host: '127.0.0.1', port: t.port, secure: false, auth: { user, pass: PASSWORD }, logger: false, tls, qresync: true });
    await client.connect();
    try {
      expect(client.enabled.has('QRESYNC')).toBe(true);
      const list = await client.list({ statusQuery: { messages: true, unseen: true } });
      expect(list.find((l) => l.path === 'INBOX')?.status).toMatchObject({ messages: 3, unseen: 3 });
      expect(list.find((l) => l.path === 'Sent')?.specialUse).toBe('\\Sent');
      const box = await client.mailboxOpen('INBOX');
      expect(box.highestModseq).toBeGreaterThan(0n);
      await client.messageFlagsAdd('1:2', ['\\Seen', '$Label1']);
      expect(await client.search({ seen: false })).toEqual([3]);
      expect(await client.search({ body: 'two dots' })).toEqual([2]);
      expect(await client.search({ header: { subject: 'large' } })).toEqual([3]);
      const appended = await client.append('INBOX', Buffer.from('Subject: appended\r\n\r\nfrom imapflow\r\n'), ['\\Draft']);
      expect(appended).toMatchObject({ destination: 'INBOX', uid: 4 });
      await client.mailboxCreate('Archive/2026');
      const moved = await client.messageMove('1', 'Archive/2026');
      expect(moved && [...moved.uidMap!.entries()]).toEqual([[1, 1]]);
      expect(client.mailbox && client.mailbox.exists).toBe(3);
      const quota = await client.getQuota('INBOX');
      expect(quota && quota.storage?.usage).toBeGreaterThan(0);
      // IDLE: a delivery wakes the client with the new count.
      const exists = new Promise<number>((resolve) => client.on('exists', (e: { count: number }) => resolve(e.count)));
      void client.idle();
      await new Promise((r) => setTimeout(r, 100));
      await t.deliver(mb.mailboxId, Buffer.from('Subject: pushed\r\n\r\npush\r\n'));
      expect(await exists).toBe(4);
      await client.mailboxRename('Archive/2026', 'Archive/Old');
      await client.mailboxDelete('Archive/Old');
      expect((await client.list()).map((l) => l.path)).not.toContain('Archive/Old');
    } finally {
      await client.logout();
    }
  });
});
