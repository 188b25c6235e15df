import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawImapClient } from './testing/raw-imap-client.js';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

/** Before login, on a plain connection where passwords are allowed (loopback). */
const CAPS = 'IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN';
/** After login. */
const AUTH_CAPS =
  'IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ UNSELECT CHILDREN NAMESPACE UIDPLUS MOVE LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE ESEARCH CONDSTORE QRESYNC QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE APPENDLIMIT=52428800 UTF8=ACCEPT COMPRESS=DEFLATE';
const GREETING = `* OK [CAPABILITY ${CAPS}] Darwin Mail ready.`;
const PASSWORD = 'correct horse battery';

function message(n: number, extra = ''): Buffer {
  return Buffer.from(`From: sender@example.org\r\nTo: box@imap.test\r\nSubject: message ${n}\r\nMessage-ID: <m${n}@example.org>\r\n\r\nBody of message ${n}.\r\n${extra}`);
}

const DATES = [new Date('2026-03-05T09:04:00Z'), new Date('2026-11-26T23:59:59Z'), new Date('2025-01-01T00:00:00Z')];

describe('IMAP transcripts over a raw socket', () => {
  let t: ImapTestServer;
  let uidvalidity: number;
  const M = [message(1), message(2, '.leading dot\r\nna\u00efve\r\n'), message(3)];

  /** A mailbox with three messages: 1 seen, 2 and 3 unseen. */
  async function mailbox(address: string): Promise<string> {
    const mb = await t.seed(address, PASSWORD);
    await t.deliver(mb.mailboxId, M[0]!, { internalDate: DATES[0], flags: ['\\Seen'] });
    await t.deliver(mb.mailboxId, M[1]!, { internalDate: DATES[1] });
    await t.deliver(mb.mailboxId, M[2]!, { internalDate: DATES[2] });
    return mb.mailboxId;
  }

  async function connect(port = t.port): Promise<RawImapClient> {
    const c = await RawImapClient.connect(port);
    expect((await c.next()).text).toBe(GREETING);
    return c;
  }

  async function loggedIn(address: string): Promise<RawImapClient> {
    const c = await connect();
    expect(await c.command('L', `LOGIN ${address} "${PASSWORD}"`)).toEqual([`L OK [CAPABILITY ${AUTH_CAPS}] Logged in`]);
    return c;
  }

  async function selected(address: string): Promise<RawImapClient> {
    const c = await loggedIn(address);
    const r = await c.command('S', 'SELECT INBOX');
    expect(r.at(-1)).toBe('S OK [READ-WRITE] SELECT completed.');
    return c;
  }

  beforeAll(async () => {
    t = await startImapTestServer();
    const id = await mailbox('box@imap.test');
    uidvalidity = (await t.store.getFolder(id, 'INBOX'))!.uidvalidity;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('greets with capabilities and answers CAPABILITY', async () => {
    const c = await connect();
    expect(await c.command('a1', 'CAPABILITY')).toEqual([`* CAPABILITY ${CAPS}`, 'a1 OK CAPABILITY completed.']);
    expect(await c.command('a2', 'capability')).toEqual([`* CAPABILITY ${CAPS}`, 'a2 OK CAPABILITY completed.']);
    c.close();
  });

  it('advertises LOGINDISABLED and refuses LOGIN with PRIVACYREQUIRED when plaintext is not allowed', async () => {
    const sib = await t.sibling({ DARWIN_PLAINTEXT_AUTH: 'never' });
    try {
      const c = await RawImapClient.connect(sib.port);
      const noAuth = 'IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED';
      expect((await c.next()).text).toBe(`* OK [CAPABILITY ${noAuth}] Darwin Mail ready.`);
      expect(await c.command('a', 'CAPABILITY')).toEqual([`* CAPABILITY ${noAuth}`, 'a OK CAPABILITY completed.']);
      expect(await c.command('b', `LOGIN box@imap.test "${PASSWORD}"`)).toEqual(['b NO [PRIVACYREQUIRED] Plaintext authentication is disabled on this connection.']);
      c.close();
    } finally {
      await sib.close();
    }
  });

  it('LOGIN: failure, then success with quoted strings; capabilities in the OK', async () => {
    const c = await connect();
    expect(await c.command('a', 'LOGIN box@imap.test wrong')).toEqual(['a NO [AUTHENTICATIONFAILED] Authentication failed.']);
    expect(await c.command('b', 'LOGIN "nobody@imap.test" "x"')).toEqual(['b NO [AUTHENTICATIONFAILED] Authentication failed.']);
    expect(await c.command('c', `LOGIN "BOX@imap.test" "${PASSWORD}"`)).toEqual([`c OK [CAPABILITY ${AUTH_CAPS}] Logged in`]);
    expect(await c.command('d', 'CAPABILITY')).toEqual([`* CAPABILITY ${AUTH_CAPS}`, 'd OK CAPABILITY completed.']);
    c.close();
  });

  it('LOGIN with synchronising literals gets "+" continuations; with LITERAL+ it does not', async () => {
    const c = await connect();
    c.send('a LOGIN {12}\r\n');
    expect((await c.next()).text).toBe('+ Ready for literal data');
    // 12 bytes were announced: "box@imap.tes" is the literal, and " {21}" follows it on the same line.
    c.send(`box@imap.tes {${PASSWORD.length}}\r\n`);
    expect((await c.next()).text).toBe('+ Ready for literal data');
    c.send(`${PASSWORD}\r\n`);
    expect(await c.until('a')).toEqual(['a NO [AUTHENTICATIONFAILED] Authentication failed.']);

    c.send(`b LOGIN {13+}\r\nbox@imap.test {${PASSWORD.length}+}\r\n${PASSWORD}\r\n`);
    expect(await c.until('b')).toEqual([`b OK [CAPABILITY ${AUTH_CAPS}] Logged in`]);
    expect(c.pending()).toEqual([]);
    c.close();
  });

  it('disabled IMAP answers CONTACTADMIN; a suspended login looks like a failed one', async () => {
    const off = await t.seed('off@imap.test', PASSWORD);
    const sus = await t.seed('suspended@imap.test', PASSWORD);
    await t.db.dataSource.query('UPDATE mailboxes SET imap_enabled = false WHERE id = $1', [off.mailboxId]);
    await t.db.dataSource.query('UPDATE mailboxes SET login_suspended = true WHERE id = $1', [sus.mailboxId]);
    const c = await connect();
    expect(await c.command('a', `LOGIN off@imap.test "${PASSWORD}"`)).toEqual(['a NO [CONTACTADMIN] IMAP access is disabled for this account; contact your administrator.']);
    expect(await c.command('b', `LOGIN suspended@imap.test "${PASSWORD}"`)).toEqual(['b NO [AUTHENTICATIONFAILED] Authentication failed.']);
    c.close();
  });

  it('closes the connection after five failed logins', async () => {
    const c = await connect();
    for (let i = 1; i <= 4; i++) expect(await c.command(`f${i}`, 'LOGIN box@imap.test nope')).toEqual([`f${i} NO [AUTHENTICATIONFAILED] Authentication failed.`]);
    expect(await c.command('f5', 'LOGIN box@imap.test nope')).toEqual(['f5 NO [AUTHENTICATIONFAILED] Authentication failed.']);
    expect((await c.next()).text).toBe('* BYE Too many failed logins.');
    await c.waitClosed();
  });

  it('commands in the wrong state are answered BAD', async () => {
    const c = await connect();
    expect(await c.command('a', 'SELECT INBOX')).toEqual(['a BAD SELECT is not allowed before login.']);
    expect(await c.command('b', 'FETCH 1 FLAGS')).toEqual(['b BAD FETCH is not allowed before login.']);
    expect(await c.command('c', 'UID FETCH 1 FLAGS')).toEqual(['c BAD UID FETCH is not allowed before login.']);
    expect(await c.command('d', `LOGIN box@imap.test "${PASSWORD}"`)).toEqual([`d OK [CAPABILITY ${AUTH_CAPS}] Logged in`]);
    expect(await c.command('e', 'FETCH 1 FLAGS')).toEqual(['e BAD FETCH needs a selected mailbox: use SELECT or EXAMINE first.']);
    expect(await c.command('f', `LOGIN box@imap.test "${PASSWORD}"`)).toEqual(['f BAD LOGIN is not allowed: already logged in.']);
    c.close();
  });

  it('unknown and not-yet-supported commands, bad tags, bad arguments: BAD, and the session goes on', async () => {
    const c = await connect();
    expect(await c.command('a', 'FROBNICATE')).toEqual(['a BAD Unknown command FROBNICATE.']);
    expect(await c.command('b', 'UID THREAD REFERENCES UTF-8 ALL')).toEqual(['b BAD UID THREAD is not supported by this server.']);
    expect(await c.command('c', 'STATUS INBOX (MESSAGES)')).toEqual(['c BAD STATUS is not allowed before login.']);
    c.send('+x NOOP\r\n');
    expect((await c.next()).text).toBe('* BAD Invalid tag');
    c.send('\x00\xff\xfe garbage\r\n');
    expect((await c.next()).text).toBe('* BAD Invalid tag');
    expect(await c.command('d', 'NOOP extra')).toEqual(['d BAD NOOP: This command takes no arguments']);
    expect(await c.command('e', 'LOGIN "unterminated')).toEqual(['e BAD LOGIN: Unterminated quoted string']);
    expect(await c.command('f', 'LOGIN onlyuser')).toEqual(['f BAD LOGIN: Missing argument: expected user name password']);
    expect(await c.command('g', 'NOOP')).toEqual(['g OK NOOP completed.']);
    c.close();
  });

  it('SELECT reports the mailbox; unknown mailbox is NONEXISTENT and leaves nothing selected', async () => {
    const c = await loggedIn('box@imap.test');
    const mb = (await t.store.findAccount('box@imap.test'))!;
    const highestModseq = (await t.store.getFolder(mb.id, 'INBOX'))!.highestModseq;
    expect(await c.command('a', 'SELECT inbox')).toEqual([
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.',
      '* 3 EXISTS',
      // The first session to select the mailbox: its messages are \Recent here (RFC 3501 2.3.2).
      '* 3 RECENT',
      '* OK [UNSEEN 2] First unseen.',
      `* OK [UIDVALIDITY ${uidvalidity}] UIDs valid`,
      '* OK [UIDNEXT 4] Predicted next UID',
      `* OK [HIGHESTMODSEQ ${highestModseq}] Highest`,
      'a OK [READ-WRITE] SELECT completed.',
    ]);
    // Selecting another mailbox closes the first one: [CLOSED] (RFC 7162 3.2.11), then the NO.
    expect(await c.command('b', 'SELECT Nope')).toEqual(['* OK [CLOSED] Previous mailbox closed.', 'b NO [NONEXISTENT] Mailbox does not exist.']);
    expect(await c.command('c', 'FETCH 1 FLAGS')).toEqual(['c BAD FETCH needs a selected mailbox: use SELECT or EXAMINE first.']);
    const sent = await c.command('d', 'SELECT "Sent"');
    expect(sent.slice(2, 4)).toEqual(['* 0 EXISTS', '* 0 RECENT']);
    expect(sent.some((l) => l.includes('UNSEEN'))).toBe(false);
    expect(sent.at(-1)).toBe('d OK [READ-WRITE] SELECT completed.');
    c.close();
  });

  it('FETCH of 1:*, *, *:1 and UID FETCH with exact responses', async () => {
    const c = await selected('box@imap.test');
    const s = M.map((m) => m.length);
    const all = [
      `* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE ${s[0]} INTERNALDATE "05-Mar-2026 09:04:00 +0000")`,
      `* 2 FETCH (UID 2 FLAGS () RFC822.SIZE ${s[1]} INTERNALDATE "26-Nov-2026 23:59:59 +0000")`,
      `* 3 FETCH (UID 3 FLAGS () RFC822.SIZE ${s[2]} INTERNALDATE "01-Jan-2025 00:00:00 +0000")`,
    ];
    expect(await c.command('a', 'FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)')).toEqual([...all, 'a OK FETCH completed.']);
    expect(await c.command('b', 'FETCH * (UID FLAGS RFC822.SIZE INTERNALDATE)')).toEqual([all[2], 'b OK FETCH completed.']);
    expect(await c.command('c', 'FETCH *:1 (UID FLAGS RFC822.SIZE INTERNALDATE)')).toEqual([...all, 'c OK FETCH completed.']);
    expect(await c.command('d', 'FETCH 2 FAST')).toEqual([`* 2 FETCH (FLAGS () INTERNALDATE "26-Nov-2026 23:59:59 +0000" RFC822.SIZE ${s[1]})`, 'd OK FETCH completed.']);
    expect(await c.command('e', 'UID FETCH 2:4294967295 FLAGS')).toEqual(['* 2 FETCH (UID 2 FLAGS ())', '* 3 FETCH (UID 3 FLAGS ())', 'e OK UID FETCH completed.']);
    expect(await c.command('f', 'UID FETCH 999 FLAGS')).toEqual(['f OK UID FETCH completed.']);
    expect(await c.command('g', 'UID FETCH 999:* (FLAGS)')).toEqual(['* 3 FETCH (UID 3 FLAGS ())', 'g OK UID FETCH completed.']);
    expect(await c.command('h', 'FETCH 4 FLAGS')).toEqual(['h BAD Invalid message sequence number 4: the mailbox has 3 messages']);
    expect(await c.command('i', 'FETCH 1:4294967295 FLAGS')).toEqual(['i BAD Invalid message sequence number 4294967295: the mailbox has 3 messages']);
    expect(await c.command('j', 'FETCH 0 FLAGS')).toEqual(['j BAD FETCH: Invalid sequence set "0"']);
    expect(await c.command('k', 'FETCH 1 BINARY[1]')).toEqual(['k BAD FETCH: BINARY[...] is not supported by this server']);
    expect(await c.command('l', 'FETCH 1 (FLAGS BOGUS)')).toEqual(['l BAD FETCH: Unknown FETCH item BOGUS']);
    c.close();
  });

  it('BODY.PEEK[] leaves \\Seen alone; BODY[] sets it and reports the new FLAGS in the same response', async () => {
    await mailbox('seen@imap.test');
    const c = await selected('seen@imap.test');
    const m2 = M[1]!;
    let r = await c.command('a', 'FETCH 2 (BODY.PEEK[])');
    expect(r).toEqual([`* 2 FETCH (BODY[] {${m2.length}}\r\n${m2.toString('latin1')})`, 'a OK FETCH completed.']);
    expect(await c.command('b', 'FETCH 2 FLAGS')).toEqual(['* 2 FETCH (FLAGS (\\Recent))', 'b OK FETCH completed.']);
    r = await c.command('c', 'UID FETCH 2 BODY[]');
    expect(r).toEqual([`* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent) BODY[] {${m2.length}}\r\n${m2.toString('latin1')})`, 'c OK UID FETCH completed.']);
    // Already seen: no implicit FLAGS any more.
    r = await c.command('d', 'FETCH 2 (UID BODY[])');
    expect(r[0]).toBe(`* 2 FETCH (UID 2 BODY[] {${m2.length}}\r\n${m2.toString('latin1')})`);
    expect(await c.command('e', 'FETCH 1:* FLAGS')).toEqual([
      '* 1 FETCH (FLAGS (\\Seen \\Recent))',
      '* 2 FETCH (FLAGS (\\Seen \\Recent))',
      '* 3 FETCH (FLAGS (\\Recent))',
      'e OK FETCH completed.',
    ]);
    // RFC822 is BODY[] under another name.
    r = await c.command('f', 'FETCH 3 (FLAGS RFC822)');
    expect(r[0]).toBe(`* 3 FETCH (FLAGS (\\Seen \\Recent) RFC822 {${M[2]!.length}}\r\n${M[2]!.toString('latin1')})`);
    c.close();
  });

  it('EXAMINE is read-only: empty PERMANENTFLAGS and BODY[] does not set \\Seen', async () => {
    await mailbox('ro@imap.test');
    const c = await loggedIn('ro@imap.test');
    const r = await c.command('a', 'EXAMINE INBOX');
    expect(r[0]).toBe('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)');
    expect(r[1]).toBe('* OK [PERMANENTFLAGS ()] No permanent flags permitted.');
    expect(r.at(-1)).toBe('a OK [READ-ONLY] EXAMINE completed.');
    const body = await c.command('b', 'FETCH 2 (FLAGS BODY[])');
    // Recent (nobody has selected the mailbox yet), and EXAMINE leaves it so.
    expect(body[0]).toBe(`* 2 FETCH (FLAGS (\\Recent) BODY[] {${M[1]!.length}}\r\n${M[1]!.toString('latin1')})`);
    expect(await c.command('c', 'FETCH 2 FLAGS')).toEqual(['* 2 FETCH (FLAGS (\\Recent))', 'c OK FETCH completed.']);
    // SELECT after EXAMINE switches to read-write.
    expect((await c.command('d', 'SELECT INBOX')).at(-1)).toBe('d OK [READ-WRITE] SELECT completed.');
    c.close();
  });

  it('answers pipelined commands in order, even with a literal among them', async () => {
    const c = await connect();
    c.send(`p1 NOOP\r\np2 CAPABILITY\r\np3 LOGIN {13+}\r\nbox@imap.test "${PASSWORD}"\r\np4 SELECT INBOX\r\np5 FETCH 1:2 (UID)\r\np6 BOGUS\r\np7 NOOP\r\n`);
    const got = await c.until('p7');
    expect(got.filter((l) => /^p\d /.test(l))).toEqual([
      'p1 OK NOOP completed.',
      'p2 OK CAPABILITY completed.',
      `p3 OK [CAPABILITY ${AUTH_CAPS}] Logged in`,
      'p4 OK [READ-WRITE] SELECT completed.',
      'p5 OK FETCH completed.',
      'p6 BAD Unknown command BOGUS.',
      'p7 OK NOOP completed.',
    ]);
    expect(got).toContain('* 1 FETCH (UID 1)');
    expect(got.indexOf('* 2 FETCH (UID 2)')).toBe(got.indexOf('p5 OK FETCH completed.') - 1);
    c.close();
  });

  it('refuses an over-long line with BAD and stays usable', async () => {
    const c = await connect();
    const max = t.ctx.config.imapMaxLineBytes;
    c.send(`long1 LOGIN ${'x'.repeat(max + 100)} y\r\n`);
    expect((await c.next()).text).toBe(`long1 BAD Command line too long (limit ${max} bytes).`);
    expect(await c.command('ok1', 'NOOP')).toEqual(['ok1 OK NOOP completed.']);
    // Also when the line arrives in pieces, without a tag that can be read.
    c.send('y'.repeat(max / 2));
    c.send('y'.repeat(max / 2 + 10));
    c.send('\r\n');
    expect((await c.next()).text).toBe(`* BAD Command line too long (limit ${max} bytes).`);
    expect(await c.command('ok2', 'NOOP')).toEqual(['ok2 OK NOOP completed.']);
    c.close();
  });

  it('refuses a literal over the limit before any "+"; a non-synchronising one is skipped', async () => {
    const c = await connect();
    c.send('big1 LOGIN {100000}\r\n');
    expect((await c.next()).text).toBe('big1 NO [TOOBIG] Literal too large: LOGIN accepts at most 65536 bytes.');
    expect(await c.command('n1', 'NOOP')).toEqual(['n1 OK NOOP completed.']);
    c.send(`big2 LOGIN {100000+}\r\n${'z'.repeat(100000)} {3+}\r\nabc\r\n`);
    expect((await c.next()).text).toBe('big2 BAD [TOOBIG] Literal too large: LOGIN accepts at most 65536 bytes.');
    expect(await c.command('n2', 'NOOP')).toEqual(['n2 OK NOOP completed.']);
    // A literal for a command that is not allowed now is refused before "+" too.
    c.send('w SELECT {5}\r\n');
    expect((await c.next()).text).toBe('w BAD SELECT is not allowed before login.');
    expect(await c.command('n3', 'NOOP')).toEqual(['n3 OK NOOP completed.']);
    expect(c.received().toString('latin1')).not.toContain('+ Ready');
    c.close();
  });

  it('a non-synchronising literal too large even to skip ends the connection with BYE', async () => {
    const sib = await t.sibling({ DARWIN_MAX_MESSAGE_BYTES: '100000' });
    try {
      const c = await RawImapClient.connect(sib.port);
      await c.next();
      c.send('huge LOGIN {500000+}\r\n');
      expect((await c.next()).text).toBe('* BYE Literal too large: LOGIN accepts at most 65536 bytes. Closing the connection.');
      await c.waitClosed();
    } finally {
      await sib.close();
    }
  });

  it('new mail delivered while selected shows up as * n EXISTS at NOOP, and can be fetched', async () => {
    const id = await mailbox('live@imap.test');
    const c = await selected('live@imap.test');
    expect(await c.command('a', 'NOOP')).toEqual(['a OK NOOP completed.']);
    await t.deliver(id, message(4));
    await t.deliver(id, message(5));
    expect(await c.command('b', 'NOOP')).toEqual(['* 5 EXISTS', '* 5 RECENT', 'b OK NOOP completed.']);
    expect(await c.command('c', 'NOOP')).toEqual(['c OK NOOP completed.']);
    expect(await c.command('d', 'FETCH 4:* (UID)')).toEqual(['* 4 FETCH (UID 4)', '* 5 FETCH (UID 5)', 'd OK FETCH completed.']);
    c.close();
  });

  it('flag changes by another session are reported as FETCH FLAGS; its own are not echoed', async () => {
    await mailbox('flags@imap.test');
    const a = await selected('flags@imap.test');
    const b = await selected('flags@imap.test');
    await a.command('a1', 'FETCH 3 BODY[]');
    expect(await a.command('a2', 'NOOP')).toEqual(['a2 OK NOOP completed.']);
    expect(await b.command('b1', 'NOOP')).toEqual(['* 3 FETCH (UID 3 FLAGS (\\Seen))', 'b1 OK NOOP completed.']);
    a.close();
    b.close();
  });

  it('LOGOUT says BYE, completes, and closes', async () => {
    const c = await loggedIn('box@imap.test');
    expect(await c.command('z', 'LOGOUT')).toEqual(['* BYE Darwin Mail logging out.', 'z OK LOGOUT completed.']);
    await c.waitClosed();
  });

  it('autologout after the pre-login and the logged-in idle timeouts', async () => {
    const sib = await t.sibling({ DARWIN_PREAUTH_TIMEOUT: '300ms', DARWIN_IMAP_IDLE_TIMEOUT: '600ms' });
    try {
      const pre = await RawImapClient.connect(sib.port);
      const started = Date.now();
      expect((await pre.next()).text).toBe(GREETING);
      expect((await pre.next(3000)).text).toBe('* BYE Autologout; idle for too long');
      await pre.waitClosed();
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);

      const post = await RawImapClient.connect(sib.port);
      await post.next();
      expect(await post.command('a', `LOGIN box@imap.test "${PASSWORD}"`)).toEqual([`a OK [CAPABILITY ${AUTH_CAPS}] Logged in`]);
      const loggedInAt = Date.now();
      expect((await post.next(3000)).text).toBe('* BYE Autologout; idle for too long');
      expect(Date.now() - loggedInAt).toBeGreaterThanOrEqual(500);
      await post.waitClosed();
    } finally {
      await sib.close();
    }
  });

  it('closes after too many invalid commands in a row', async () => {
    const c = await connect();
    for (let i = 1; i < 20; i++) expect(await c.command(`b${i}`, 'BOGUS')).toEqual([`b${i} BAD Unknown command BOGUS.`]);
    expect(await c.command('ok', 'NOOP')).toEqual(['ok OK NOOP completed.']);
    for (let i = 1; i < 20; i++) await c.command(`c${i}`, 'BOGUS');
    expect(await c.command('c20', 'BOGUS')).toEqual(['c20 BAD Unknown command BOGUS.']);
    expect((await c.next()).text).toBe('* BYE Too many invalid commands.');
    await c.waitClosed();
  });

  it('an HTTP request on the IMAP port is turned away', async () => {
    const c = await connect();
    c.send('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await c.next()).text).toBe('* BYE This is an IMAP server.');
    await c.waitClosed();
  });

  it('survives clients that vanish mid-command or mid-literal', async () => {
    for (const partial of ['a LOGIN {10}\r\nabc', 'a LOGIN "half', 'a SELECT', 'a FETCH 1:* BODY[]\r\n']) {
      const c = await connect();
      if (partial.includes('FETCH')) await c.command('L', `LOGIN box@imap.test "${PASSWORD}"`).then(() => c.command('S', 'SELECT INBOX'));
      c.send(partial);
      c.close();
    }
    const c = await connect();
    expect(await c.command('alive', 'NOOP')).toEqual(['alive OK NOOP completed.']);
    c.close();
  });

  it('LIST and LSUB: delimiter, patterns, special use, modified UTF-7 names; SELECT by such a name', async () => {
    const mb = await t.seed('list@imap.test', PASSWORD);
    await t.db.dataSource.query(`INSERT INTO folders (mailbox_id, name, uidvalidity) VALUES ($1, 'Entwürfe', nextval('folder_uidvalidity_seq')), ($1, 'Archive/2024', nextval('folder_uidvalidity_seq'))`, [mb.mailboxId]);
    await t.deliver(mb.mailboxId, message(1), { folder: 'Entwürfe' });
    const c = await loggedIn('list@imap.test');
    expect(await c.command('a', 'LIST "" ""')).toEqual(['* LIST (\\Noselect) "/" ""', 'a OK LIST completed.']);
    expect(await c.command('b', 'LIST "" *')).toEqual([
      '* LIST (\\HasNoChildren) "/" INBOX',
      '* LIST (\\Noselect \\HasChildren) "/" Archive',
      '* LIST (\\HasNoChildren) "/" Archive/2024',
      '* LIST (\\HasNoChildren \\Drafts) "/" Drafts',
      '* LIST (\\HasNoChildren) "/" Entw&APw-rfe',
      '* LIST (\\HasNoChildren \\Junk) "/" Junk',
      '* LIST (\\HasNoChildren \\Sent) "/" Sent',
      '* LIST (\\HasNoChildren \\Trash) "/" Trash',
      'b OK LIST completed.',
    ]);
    expect(await c.command('c', 'LIST "Archive/" %')).toEqual(['* LIST (\\HasNoChildren) "/" Archive/2024', 'c OK LIST completed.']);
    expect(await c.command('d', 'LIST "" inbox')).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', 'd OK LIST completed.']);
    expect(await c.command('e', 'LIST "" Entw&APw-*')).toEqual(['* LIST (\\HasNoChildren) "/" Entw&APw-rfe', 'e OK LIST completed.']);
    const lsub = await c.command('f', 'LSUB "" *');
    expect(lsub.at(-1)).toBe('f OK LSUB completed.');
    expect(lsub[0]).toMatch(/^\* LSUB \(\) "\/" INBOX$/);
    const sel = await c.command('g', 'SELECT Entw&APw-rfe');
    expect(sel).toContain('* 1 EXISTS');
    expect(sel.at(-1)).toBe('g OK [READ-WRITE] SELECT completed.');
    expect(await c.command('h', 'SELECT "Entwürfe"')).toEqual(expect.arrayContaining(['* 1 EXISTS']));
    expect(await c.command('i', 'SELECT &AGE-')).toEqual(['i BAD SELECT: Printable ASCII must not be base64-encoded in a mailbox name']);
    c.close();
  });

  it('never logs the password; every session line carries the connection id', async () => {
    const lines: string[] = [];
    const secret = 'S3cr3t-Pa55-never-logged';
    const mb = await t.seed('logs@imap.test', secret);
    await t.deliver(mb.mailboxId, message(1));
    const sib = await t.sibling({}, lines);
    try {
      const c = await RawImapClient.connect(sib.port);
      await c.next();
      expect(await c.command('a', `LOGIN logs@imap.test ${secret}x`)).toEqual(['a NO [AUTHENTICATIONFAILED] Authentication failed.']);
      c.send(`b LOGIN "logs@imap.test" {${secret.length}}\r\n`);
      await c.next();
      c.send(`${secret}\r\n`);
      expect(await c.until('b')).toEqual([`b OK [CAPABILITY ${AUTH_CAPS}] Logged in`]);
      await c.command('c', 'SELECT INBOX');
      await c.command('d', 'FETCH 1 BODY[]');
      await c.command('e', 'LOGOUT');
      await c.waitClosed();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await sib.close();
    }
    const text = lines.join('');
    expect(text).not.toContain(secret);
    expect(text).toContain('command="b LOGIN \\"logs@imap.test\\" ***"');
    expect(text).toContain('{'); // the FETCH response is logged with its literal elided
    expect(text).not.toContain('Body of message 1');
    const sessionLines = lines.filter((l) => /command=|response |connection (opened|closed)|logged in/.test(l));
    expect(sessionLines.length).toBeGreaterThan(10);
    for (const l of sessionLines) expect(l).toMatch(/ cid=imap-[0-9a-z]+/);
  });

  it('closes the connection of a client that stops reading in the middle of a large body', async () => {
    const lines: string[] = [];
    const mb = await t.seed('stall@imap.test', PASSWORD);
    const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(24 * 1024 * 1024, 'abcdefghij\r\n')]);
    await t.deliver(mb.mailboxId, big);
    const sib = await t.sibling({ DARWIN_IMAP_IDLE_TIMEOUT: '1s' }, lines);
    try {
      const c = await RawImapClient.connect(sib.port);
      await c.next();
      await c.command('a', `LOGIN stall@imap.test "${PASSWORD}"`);
      await c.command('b', 'SELECT INBOX');
      c.socket.pause();
      c.send('c FETCH 1 BODY.PEEK[]\r\n');
      const started = Date.now();
      while (!lines.some((l) => l.includes('client stopped reading')) && Date.now() - started < 8000) await new Promise((r) => setTimeout(r, 100));
      expect(lines.some((l) => l.includes('client stopped reading'))).toBe(true);
      c.socket.resume();
      await c.waitClosed(10_000);
      // The response was cut off: the client never got the whole body nor the tagged reply.
      expect(c.received().length).toBeLessThan(big.length);
      expect(c.received().toString('latin1')).not.toContain('c OK');
    } finally {
      await sib.close();
    }
  });

  it('server shutdown says BYE to connected clients', async () => {
    const sib = await t.sibling({});
    const c = await RawImapClient.connect(sib.port);
    await c.next();
    await sib.close();
    expect((await c.next()).text).toBe('* BYE Server shutting down.');
    await c.waitClosed();
  });

  it('watches only the selected folder and stops watching on deselect, logout and disconnect', async () => {
    let active = 0;
    const watched: string[] = [];
    const store = t.store;
    const spy = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'watch') {
          return (folderId: string, listener: Parameters<typeof store.watch>[1]) => {
            active++;
            watched.push(folderId);
            const stop = target.watch(folderId, listener);
            return () => {
              active--;
              stop();
            };
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const sib = await t.sibling({}, undefined, spy);
    try {
      const c = await RawImapClient.connect(sib.port);
      await c.next();
      await c.command('a', `LOGIN box@imap.test "${PASSWORD}"`);
      await c.command('b', 'SELECT INBOX');
      expect(active).toBe(1);
      await c.command('c', 'EXAMINE Sent');
      expect(active).toBe(1);
      expect(new Set(watched).size).toBe(2);
      await c.command('d', 'SELECT Nope');
      expect(active).toBe(0);
      await c.command('e', 'SELECT INBOX');
      expect(active).toBe(1);
      await c.command('f', 'LOGOUT');
      await c.waitClosed();
      expect(active).toBe(0);

      const d = await RawImapClient.connect(sib.port);
      await d.next();
      await d.command('a', `LOGIN box@imap.test "${PASSWORD}"`);
      await d.command('b', 'SELECT INBOX');
      expect(active).toBe(1);
      d.close();
      const until = Date.now() + 2000;
      while (active > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(active).toBe(0);
    } finally {
      await sib.close();
    }
  });
});

