import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const client = new ImapFlow({ host: '127.0.0.1', port: t.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
    await client.connect();
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
        expect([...(m.flags ?? [])]).toEqual([]);
      }
      // By UID, and a single message by sequence number.
      const byUid = await client.fetchOne('2', { source: true, flags: true }, { uid: true });
      expect(byUid && byUid.source!.equals(MESSAGES[1]!)).toBe(true);
      // BODY.PEEK (what imapflow sends for source) must not have set \Seen.
      const flags = await client.fetchOne('*', { flags: true });
      expect(flags && [...flags.flags!]).toEqual([]);
    } finally {
      await client.logout();
    }
  });

  it('imapflow: a wrong password is an authentication failure', async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port: t.port, secure: false, auth: { user: USER, pass: 'wrong' }, logger: false });
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
    expect(out.caps).toEqual(['IMAP4REV1', 'LITERAL+']);
    expect(out.select).toEqual(['OK', '3']);
    expect(out.fetch).toBe('OK');
    expect(out.bodies).toEqual(MESSAGES.map(sha));
    expect(out.heads).toEqual(MESSAGES.map((m, i) => `${i + 1} (UID ${i + 1} RFC822.SIZE ${m.length} BODY[] {${m.length}}`));
    expect(out.flags).toBe('2 (FLAGS ())');
    expect(out.logout).toBe('BYE');
  });
});
