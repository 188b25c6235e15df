/**
 * Mailbox changes made elsewhere reach a session: in IDLE at once, between commands at the next
 * command, across processes through Postgres LISTEN/NOTIFY. EXPUNGE only where RFC 3501 7.4.1
 * allows it; several changes coalesced into one EXISTS.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PgMailStore, spoolBuffer } from '@darwin/mail-store';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawImapClient } from './testing/raw-imap-client.js';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const PASSWORD = 'push-password';

function note(n: number): Buffer {
  return Buffer.from(`From: s@example.org\r\nTo: push@imap.test\r\nSubject: push ${n}\r\n\r\nbody ${n}\r\n`);
}

/** Delivers like an SMTP server in another engine process: a separate Node process with its own PgMailStore. */
const DELIVER_IN_CHILD = `
import { PgMailStore, spoolBuffer } from '@darwin/mail-store';
const [url, mailboxId, raw] = process.argv.slice(1);
const store = new PgMailStore({ url, poolSize: 1 });
const out = await store.deliver(await spoolBuffer(Buffer.from(raw)), [{ mailboxId }], { countAsReceived: true });
process.stdout.write(JSON.stringify(out));
await store.close();
`;

/** The MX server in another Node process (testing/mx-server-process.ts) on the test's database. */
async function startMxProcess(databaseUrl: string): Promise<{ port: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', here('../outbound/testing/ts-register.mjs'), here('./testing/mx-server-process.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.stdin!.end();
    await exited;
  };
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), once(child, 'exit')])) as [string | number];
  if (typeof line !== 'string') throw new Error(`MX server process exited (${line}): ${stderr}`);
  return { port: (JSON.parse(line) as { port: number }).port, stop };
}

describe('IMAP push: IDLE and updates between commands, across processes', () => {
  let t: ImapTestServer;
  let other: PgMailStore;
  let n = 0;

  beforeAll(async () => {
    t = await startImapTestServer();
    other = new PgMailStore({ url: t.db.url, poolSize: 2 });
    // The child process imports the built library.
    await run('npx', ['tsc', '-b', 'libs/mail-store'], { cwd: ROOT });
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  async function mailbox(count: number): Promise<{ address: string; mailboxId: string; folderId: string }> {
    const address = `push${++n}@imap.test`;
    const mb = await t.seed(address, PASSWORD);
    for (let i = 1; i <= count; i++) await t.deliver(mb.mailboxId, note(i));
    // Already seen by an earlier client: only mail arriving during the test is \Recent.
    await t.claimRecent(mb.mailboxId);
    return { address, mailboxId: mb.mailboxId, folderId: (await t.store.getFolder(mb.mailboxId, 'INBOX'))!.id };
  }

  async function selected(address: string): Promise<RawImapClient> {
    const c = await RawImapClient.connect(t.port);
    await c.next();
    await c.command('L', `LOGIN ${address} "${PASSWORD}"`);
    expect((await c.command('S', 'SELECT INBOX')).at(-1)).toBe('S OK [READ-WRITE] SELECT completed.');
    return c;
  }

  it('IDLE gets * n EXISTS for mail delivered by another engine process, within milliseconds; DONE ends it', async () => {
    const { address, mailboxId } = await mailbox(2);
    const c = await selected(address);
    c.send('i IDLE\r\n');
    expect((await c.next()).text).toBe('+ idling');
    const started = Date.now();
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', DELIVER_IN_CHILD, t.db.url, mailboxId, note(3).toString()], { cwd: ROOT });
    const delivered = Date.now();
    expect(JSON.parse(stdout)[0].status).toBe('stored');
    expect((await c.next(3000)).text).toBe('* 3 EXISTS');
    const pushed = Date.now();
    expect((await c.next()).text).toBe('* 1 RECENT');
    // The child's startup dominates; the push itself follows the commit closely.
    expect(pushed - delivered).toBeLessThan(1000);
    expect(pushed).toBeGreaterThanOrEqual(started);
    c.send('DONE\r\n');
    expect(await c.until('i')).toEqual(['i OK IDLE terminated.']);
    expect(await c.command('f', 'FETCH 3 (BODY.PEEK[TEXT])')).toEqual(['* 3 FETCH (BODY[TEXT] {8}\r\nbody 3\r\n)', 'f OK FETCH completed.']);
    c.close();
  });

  it('IDLE gets * n EXISTS for mail received over SMTP by the MX server of another engine process', async () => {
    const { address } = await mailbox(1);
    const mx = await startMxProcess(t.db.url);
    try {
      const c = await selected(address);
      c.send('i IDLE\r\n');
      expect((await c.next()).text).toBe('+ idling');
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx.port, secure: false, ignoreTLS: true, name: 'client.example' });
      const info = await transport.sendMail({ envelope: { from: 's@remote.example', to: [address] }, raw: note(2) });
      expect(info.accepted).toEqual([address]);
      expect((await c.next(3000)).text).toBe('* 2 EXISTS');
      expect((await c.next()).text).toBe('* 1 RECENT');
      c.send('DONE\r\n');
      expect(await c.until('i')).toEqual(['i OK IDLE terminated.']);
      // The MX server's own trace header: the message came through SMTP, not the store directly.
      const [fetched] = await c.command('f', 'FETCH 2 (BODY.PEEK[HEADER.FIELDS (Received Subject)])');
      expect(fetched).toMatch(/^\* 2 FETCH \(BODY\[HEADER\.FIELDS \(RECEIVED SUBJECT\)\] \{\d+\}\r\nReceived: from client\.example [^]*by mx\.darwin\.test[^]*\r\nSubject: push 2\r\n\r\n\)$/);
      c.close();
    } finally {
      await mx.stop();
    }
  });

  it('IDLE gets flag changes and expunges made by another store (a POP3 deletion), as FETCH and EXPUNGE', async () => {
    const { address, folderId } = await mailbox(3);
    const c = await selected(address);
    c.send('i IDLE\r\n');
    expect((await c.next()).text).toBe('+ idling');
    await other.updateFlags(folderId, [2], 'add', ['\\Seen']);
    expect((await c.next()).text).toBe('* 2 FETCH (UID 2 FLAGS (\\Seen))');
    // POP3 deletes by UID at QUIT, with its own store.
    await other.expunge(folderId, { uids: [1], onlyDeleted: false });
    expect((await c.next()).text).toBe('* 1 EXPUNGE');
    c.send('DONE\r\n');
    expect(await c.until('i')).toEqual(['i OK IDLE terminated.']);
    expect(await c.command('f', 'FETCH 1:* UID')).toEqual(['* 1 FETCH (UID 2)', '* 2 FETCH (UID 3)', 'f OK FETCH completed.']);
    c.close();
  });

  it('between commands, several deliveries are coalesced into one EXISTS with the final count', async () => {
    const { address, mailboxId } = await mailbox(1);
    const c = await selected(address);
    await Promise.all([2, 3, 4].map(async (i) => other.deliver(await spoolBuffer(note(i)), [{ mailboxId }])));
    await new Promise((r) => setTimeout(r, 100));
    expect(await c.command('a', 'NOOP')).toEqual(['* 4 EXISTS', '* 3 RECENT', 'a OK NOOP completed.']);
    c.close();
  });

  it('expunges by another session are not sent during FETCH, STORE or SEARCH, but at NOOP (and UID commands)', async () => {
    const { address, folderId } = await mailbox(3);
    const c = await selected(address);
    await other.expunge(folderId, { uids: [1], onlyDeleted: false });
    await new Promise((r) => setTimeout(r, 100));
    // The expunged message keeps its number meanwhile and returns nothing.
    expect(await c.command('a', 'FETCH 1:* UID')).toEqual(['* 2 FETCH (UID 2)', '* 3 FETCH (UID 3)', 'a OK FETCH completed.']);
    expect(await c.command('b', 'SEARCH ALL')).toEqual(['* SEARCH 2 3', 'b OK SEARCH completed.']);
    expect(await c.command('c', 'STORE 3 +FLAGS (\\Flagged)')).toEqual(['* 3 FETCH (FLAGS (\\Flagged))', 'c OK STORE completed.']);
    expect(await c.command('d', 'NOOP')).toEqual(['* 1 EXPUNGE', 'd OK NOOP completed.']);
    await other.expunge(folderId, { uids: [2], onlyDeleted: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(await c.command('e', 'UID FETCH 3 UID')).toEqual(['* 2 FETCH (UID 3)', '* 1 EXPUNGE', 'e OK UID FETCH completed.']);
    c.close();
  });

  it('two sessions on one mailbox see each other: flags, appends, expunges; own changes are not echoed', async () => {
    const { address } = await mailbox(2);
    const a = await selected(address);
    const b = await selected(address);
    expect(await a.command('a1', 'STORE 1 +FLAGS (\\Answered)')).toEqual(['* 1 FETCH (FLAGS (\\Answered))', 'a1 OK STORE completed.']);
    const msg = note(9).toString();
    expect((await a.command('a2', `APPEND INBOX {${msg.length}+}\r\n${msg}`)).at(-1)).toMatch(/^a2 OK \[APPENDUID \d+ 3\]/);
    await a.command('a3', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    expect(await a.command('a4', 'EXPUNGE')).toEqual(['* 2 EXPUNGE', 'a4 OK EXPUNGE completed.']);
    await new Promise((r) => setTimeout(r, 100));
    expect(await b.command('b1', 'NOOP')).toEqual(['* 2 EXPUNGE', '* 2 EXISTS', '* 1 FETCH (UID 1 FLAGS (\\Answered))', 'b1 OK NOOP completed.']);
    expect(await b.command('b2', 'FETCH 1:* UID')).toEqual(['* 1 FETCH (UID 1)', '* 2 FETCH (UID 3)', 'b2 OK FETCH completed.']);
    expect(await a.command('a5', 'NOOP')).toEqual(['a5 OK NOOP completed.']);
    a.close();
    b.close();
  });

  it('a selected mailbox deleted by another session ends the session with BYE', async () => {
    const { address, mailboxId } = await mailbox(0);
    await t.store.createFolder(mailboxId, 'Doomed', { maxFolders: 100 });
    const c = await RawImapClient.connect(t.port);
    await c.next();
    await c.command('L', `LOGIN ${address} "${PASSWORD}"`);
    await c.command('S', 'SELECT Doomed');
    const doomed = (await t.store.getFolder(mailboxId, 'Doomed'))!;
    await other.deleteFolder(doomed.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(await c.command('a', 'NOOP')).toEqual(['a OK NOOP completed.']);
    expect((await c.next()).text).toBe('* BYE Selected mailbox was deleted, have to disconnect.');
    await c.waitClosed();
  });
});
