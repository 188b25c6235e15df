/**
 * Raw-socket transcripts of the full command set: FETCH items and sections, STORE, SEARCH, COPY,
 * MOVE, EXPUNGE, mailbox management, STATUS, APPEND, QUOTA, ENABLE, ID, NAMESPACE, AUTHENTICATE.
 * Exact responses, so each test fails without the behaviour it shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawImapClient } from './testing/raw-imap-client.js';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = 'correct horse battery';

const MIXED = Buffer.from(
  [
    'From: "Doe, Jane" <jane@example.org>',
    'To: a@example.com, Group: b@example.com;',
    'Cc: carol@example.net',
    'Subject: hello there',
    'Date: Thu, 26 Nov 2026 10:00:00 +0000',
    'Message-ID: <x1@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    'preamble',
    '--b1',
    'Content-Type: text/plain',
    '',
    'hello zebra',
    '',
    '--b1',
    'Content-Type: message/rfc822',
    '',
    'From: inner@example.net',
    'Subject: inner',
    '',
    'inner body',
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    'Content-Disposition: inline',
    '',
    '<b>x</b>',
    '--b1--',
    '',
  ].join('\r\n'),
);

function plain(n: number, extra = ''): Buffer {
  return Buffer.from(`From: sender${n}@example.org\r\nTo: box@imap.test\r\nSubject: note ${n}\r\nDate: Wed, 0${n} Mar 2026 10:00:00 +0000\r\n${extra}\r\nbody of note ${n}\r\n`);
}

describe('IMAP commands over a raw socket', () => {
  let t: ImapTestServer;
  let n = 0;

  beforeAll(async () => {
    t = await startImapTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh mailbox with the given messages in INBOX. */
  async function mailbox(messages: Buffer[], opts: { flags?: string[][]; recent?: boolean } = {}): Promise<{ address: string; mailboxId: string }> {
    const address = `user${++n}@imap.test`;
    const mb = await t.seed(address, PASSWORD);
    for (let i = 0; i < messages.length; i++) await t.deliver(mb.mailboxId, messages[i]!, { internalDate: new Date(Date.UTC(2026, 2, i + 1, 12)), flags: opts.flags?.[i] });
    // As if a client had already seen them: \Recent has its own test.
    if (!opts.recent) await t.claimRecent(mb.mailboxId);
    return { address, mailboxId: mb.mailboxId };
  }

  async function login(address: string): Promise<RawImapClient> {
    const c = await RawImapClient.connect(t.port);
    await c.next();
    const r = await c.command('L', `LOGIN ${address} "${PASSWORD}"`);
    expect(r.at(-1)).toMatch(/^L OK /);
    return c;
  }

  async function select(address: string, mbox = 'INBOX'): Promise<RawImapClient> {
    const c = await login(address);
    expect((await c.command('S', `SELECT ${mbox}`)).at(-1)).toMatch(/^S OK /);
    return c;
  }

  async function uidvalidity(mailboxId: string, name = 'INBOX'): Promise<number> {
    return (await t.store.getFolder(mailboxId, name))!.uidvalidity;
  }

  it('FETCH ENVELOPE, BODYSTRUCTURE and BODY from what was stored at delivery', async () => {
    const { address } = await mailbox([MIXED]);
    const c = await select(address);
    const r = await c.command('a', 'FETCH 1 (ENVELOPE)');
    expect(r[0]).toBe(
      '* 1 FETCH (ENVELOPE ("Thu, 26 Nov 2026 10:00:00 +0000" "hello there" (("Doe, Jane" NIL "jane" "example.org")) (("Doe, Jane" NIL "jane" "example.org")) (("Doe, Jane" NIL "jane" "example.org")) ((NIL NIL "a" "example.com")(NIL NIL "Group" NIL)(NIL NIL "b" "example.com")(NIL NIL NIL NIL)) ((NIL NIL "carol" "example.net")) NIL NIL "<x1@example.org>"))',
    );
    const inner = '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 0';
    const bs = await c.command('b', 'FETCH 1 (BODYSTRUCTURE)');
    expect(bs[0]).toBe(
      `* 1 FETCH (BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 13 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 53 (NIL "inner" ((NIL NIL "inner" "example.net")) ((NIL NIL "inner" "example.net")) ((NIL NIL "inner" "example.net")) NIL NIL NIL NIL NIL) ${inner} NIL NIL NIL NIL) 3 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "7bit" 8 0 NIL ("inline" NIL) NIL NIL) "mixed" ("boundary" "b1") NIL NIL NIL))`,
    );
    const body = await c.command('c', 'FETCH 1 (BODY)');
    expect(body[0]).toBe(
      `* 1 FETCH (BODY (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 13 1)("message" "rfc822" NIL NIL NIL "7bit" 53 (NIL "inner" ((NIL NIL "inner" "example.net")) ((NIL NIL "inner" "example.net")) ((NIL NIL "inner" "example.net")) NIL NIL NIL NIL NIL) ${inner}) 3)("text" "html" ("charset" "utf-8") NIL NIL "7bit" 8 0) "mixed"))`,
    );
    // The macros expand in RFC order.
    const all = await c.command('d', 'FETCH 1 ALL');
    expect(all[0]).toMatch(/^\* 1 FETCH \(FLAGS \(\) INTERNALDATE "[^"]+" RFC822\.SIZE \d+ ENVELOPE \(/);
    c.close();
  });

  it('BODY[section]<partial>: part numbers, HEADER, HEADER.FIELDS(.NOT), MIME, TEXT, nested message parts, missing parts', async () => {
    const { address } = await mailbox([MIXED]);
    const c = await select(address);
    const lit = (s: string) => `{${Buffer.byteLength(s)}}\r\n${s}`;
    const fetch = async (items: string) => (await c.command('f', `FETCH 1 (${items})`))[0];
    expect(await fetch('BODY.PEEK[1]')).toBe(`* 1 FETCH (BODY[1] ${lit('hello zebra\r\n')})`);
    expect(await fetch('BODY.PEEK[1]<6.3>')).toBe(`* 1 FETCH (BODY[1]<6> ${lit('zeb')})`);
    expect(await fetch('BODY.PEEK[1]<100>')).toBe(`* 1 FETCH (BODY[1]<100> ${lit('')})`);
    expect(await fetch('BODY.PEEK[1.MIME]')).toBe(`* 1 FETCH (BODY[1.MIME] ${lit('Content-Type: text/plain\r\n\r\n')})`);
    expect(await fetch('BODY.PEEK[2.HEADER]')).toBe(`* 1 FETCH (BODY[2.HEADER] ${lit('From: inner@example.net\r\nSubject: inner\r\n\r\n')})`);
    expect(await fetch('BODY.PEEK[2.TEXT]')).toBe(`* 1 FETCH (BODY[2.TEXT] ${lit('inner body')})`);
    expect(await fetch('BODY.PEEK[2.1]')).toBe(`* 1 FETCH (BODY[2.1] ${lit('inner body')})`);
    expect(await fetch('BODY.PEEK[3]')).toBe(`* 1 FETCH (BODY[3] ${lit('<b>x</b>')})`);
    expect(await fetch('BODY.PEEK[HEADER.FIELDS (subject FROM)]')).toBe(
      `* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] ${lit('From: "Doe, Jane" <jane@example.org>\r\nSubject: hello there\r\n\r\n')})`,
    );
    const not = await fetch('BODY.PEEK[HEADER.FIELDS.NOT (From To Cc Subject Date Message-ID)]');
    expect(not).toBe(`* 1 FETCH (BODY[HEADER.FIELDS.NOT (FROM TO CC SUBJECT DATE MESSAGE-ID)] ${lit('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n')})`);
    const header = MIXED.subarray(0, MIXED.indexOf('\r\n\r\n') + 4).toString('latin1');
    expect(await fetch('BODY.PEEK[HEADER]')).toBe(`* 1 FETCH (BODY[HEADER] ${lit(header)})`);
    expect(await fetch('RFC822.HEADER')).toBe(`* 1 FETCH (RFC822.HEADER ${lit(header)})`);
    expect(await fetch('BODY.PEEK[TEXT]<0.8>')).toBe(`* 1 FETCH (BODY[TEXT]<0> ${lit('preamble')})`);
    expect(await fetch('BODY.PEEK[7] BODY.PEEK[1.HEADER]')).toBe(`* 1 FETCH (BODY[7] {0}\r\n BODY[1.HEADER] {0}\r\n)`);
    // Nothing so far was a non-PEEK fetch: still unseen. RFC822.TEXT sets \Seen.
    expect((await c.command('g', 'FETCH 1 FLAGS'))[0]).toBe('* 1 FETCH (FLAGS ())');
    const text = MIXED.subarray(MIXED.indexOf('\r\n\r\n') + 4).toString('latin1');
    expect((await c.command('h', 'FETCH 1 RFC822.TEXT'))[0]).toBe(`* 1 FETCH (FLAGS (\\Seen) RFC822.TEXT ${lit(text)})`);
    c.close();
  });

  it('STORE FLAGS, +FLAGS, -FLAGS, .SILENT and UID STORE report exactly what they should', async () => {
    const { address } = await mailbox([plain(1), plain(2), plain(3)]);
    const c = await select(address);
    // A new keyword is announced first (FLAGS and PERMANENTFLAGS), as Dovecot does.
    expect(await c.command('a', 'STORE 1:2 +FLAGS (\\Seen $Work)')).toEqual([
      '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)',
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted.',
      '* 1 FETCH (FLAGS (\\Seen $Work))',
      '* 2 FETCH (FLAGS (\\Seen $Work))',
      'a OK STORE completed.',
    ]);
    expect(await c.command('b', 'STORE 2 -FLAGS.SILENT ($Work)')).toEqual(['b OK STORE completed.']);
    expect(await c.command('c', 'UID STORE 2:3 FLAGS (\\flagged)')).toEqual(['* 2 FETCH (UID 2 FLAGS (\\Flagged))', '* 3 FETCH (UID 3 FLAGS (\\Flagged))', 'c OK UID STORE completed.']);
    expect(await c.command('d', 'FETCH 1:* FLAGS')).toEqual(['* 1 FETCH (FLAGS (\\Seen $Work))', '* 2 FETCH (FLAGS (\\Flagged))', '* 3 FETCH (FLAGS (\\Flagged))', 'd OK FETCH completed.']);
    expect(await c.command('e', 'STORE 1 +FLAGS (\\Recent)')).toEqual(['e BAD STORE: \\Recent cannot be set by clients']);
    expect(await c.command('f', 'STORE 1 +FLAGS (\\Bogus)')).toEqual(['f BAD STORE: Unknown system flag \\Bogus']);
    expect(await c.command('g', 'STORE 1 XFLAGS (\\Seen)')).toEqual(['g BAD STORE: Expected FLAGS, +FLAGS or -FLAGS (optionally .SILENT)']);
    expect(await c.command('h', 'STORE 9 +FLAGS (\\Seen)')).toEqual(['h BAD Invalid message sequence number 9: the mailbox has 3 messages']);
    expect((await c.command('i', 'EXAMINE INBOX')).at(-1)).toBe('i OK [READ-ONLY] EXAMINE completed.');
    expect(await c.command('j', 'STORE 1 +FLAGS (\\Deleted)')).toEqual(['j NO [READ-ONLY] Mailbox is read-only.']);
    c.close();
  });

  it('SEARCH: RFC 3501 keys, CHARSET UTF-8, sequence sets, ESEARCH; BADCHARSET; numbers above the count match nothing', async () => {
    const { address } = await mailbox([MIXED, plain(2, 'X-Priority: 1\r\n'), plain(3, 'Subject2: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n')], { flags: [['\\Seen'], [], ['\\Flagged', '$Work']] });
    const c = await select(address);
    const search = async (q: string) => (await c.command('s', `SEARCH ${q}`))[0];
    expect(await search('ALL')).toBe('* SEARCH 1 2 3');
    expect(await search('UNSEEN')).toBe('* SEARCH 2 3');
    expect(await search('SEEN FLAGGED')).toBe('* SEARCH');
    expect(await search('OR SEEN FLAGGED')).toBe('* SEARCH 1 3');
    expect(await search('NOT KEYWORD $Work')).toBe('* SEARCH 1 2');
    expect(await search('UNKEYWORD $Work')).toBe('* SEARCH 1 2');
    expect(await search('FROM jane')).toBe('* SEARCH 1');
    expect(await search('TO "a@example"')).toBe('* SEARCH 1');
    expect(await search('CC carol')).toBe('* SEARCH 1');
    expect(await search('BCC carol')).toBe('* SEARCH');
    expect(await search('SUBJECT NOTE')).toBe('* SEARCH 2 3');
    expect(await search('HEADER X-Priority ""')).toBe('* SEARCH 2');
    expect(await search(`CHARSET UTF-8 HEADER Subject2 {${Buffer.byteLength('grüße')}+}\r\ngrüße`)).toBe('* SEARCH 3');
    expect(await search('BODY zebra')).toBe('* SEARCH 1');
    expect(await search('TEXT "note 2"')).toBe('* SEARCH 2');
    expect(await search('LARGER 400')).toBe('* SEARCH 1');
    expect(await search('SMALLER 400')).toBe('* SEARCH 2 3');
    expect(await search('SINCE 2-Mar-2026')).toBe('* SEARCH 2 3');
    expect(await search('ON 2-Mar-2026')).toBe('* SEARCH 2');
    expect(await search('BEFORE "2-Mar-2026"')).toBe('* SEARCH 1');
    expect(await search('SENTON 26-Nov-2026')).toBe('* SEARCH 1');
    expect(await search('SENTBEFORE 3-Mar-2026')).toBe('* SEARCH 2');
    expect(await search('SENTSINCE 3-Mar-2026')).toBe('* SEARCH 1 3');
    expect(await search('2:*')).toBe('* SEARCH 2 3');
    expect(await search('1:10')).toBe('* SEARCH 1 2 3');
    expect(await search('7')).toBe('* SEARCH');
    expect(await search('UID 2,3 NOT 3')).toBe('* SEARCH 2');
    expect(await search('NEW')).toBe('* SEARCH');
    expect(await search('OLD')).toBe('* SEARCH 1 2 3');
    expect(await search('(OR 1 2) (UNSEEN)')).toBe('* SEARCH 2');
    expect((await c.command('u', 'UID SEARCH RETURN (MIN MAX COUNT ALL) UNSEEN'))[0]).toBe('* ESEARCH (TAG "u") UID MIN 2 MAX 3 ALL 2:3 COUNT 2');
    expect((await c.command('v', 'SEARCH RETURN () FLAGGED'))[0]).toBe('* ESEARCH (TAG "v") ALL 3');
    expect((await c.command('w', 'SEARCH RETURN (COUNT) DRAFT'))[0]).toBe('* ESEARCH (TAG "w") COUNT 0');
    expect(await c.command('x', 'SEARCH CHARSET KOI8-R ALL')).toEqual(['x NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset KOI8-R']);
    expect(await c.command('y', 'SEARCH FROBNICATE')).toEqual(['y BAD SEARCH: Unknown search key FROBNICATE']);
    expect(await c.command('z', 'SEARCH SINCE 31-Feb-2026')).toEqual(['z BAD SEARCH: Invalid date 31-Feb-2026']);
    c.close();
  });

  it('COPY and UID COPY answer COPYUID; MOVE reports COPYUID then EXPUNGE; TRYCREATE and OVERQUOTA store nothing', async () => {
    const { address, mailboxId } = await mailbox([plain(1), plain(2), plain(3)]);
    const trash = await uidvalidity(mailboxId, 'Trash');
    const c = await select(address);
    expect(await c.command('a', 'COPY 1:2 Trash')).toEqual([`a OK [COPYUID ${trash} 1:2 1:2] COPY completed.`]);
    expect(await c.command('b', 'UID COPY 3 Trash')).toEqual([`b OK [COPYUID ${trash} 3 3] UID COPY completed.`]);
    expect(await c.command('c', 'COPY 1 Nowhere')).toEqual(['c NO [TRYCREATE] Mailbox does not exist.']);
    expect(await c.command('d', 'MOVE 2 Trash')).toEqual([`* OK [COPYUID ${trash} 2 4] Moved UIDs.`, '* 2 EXPUNGE', 'd OK MOVE completed.']);
    expect(await c.command('e', 'UID MOVE 3 Trash')).toEqual([`* OK [COPYUID ${trash} 3 5] Moved UIDs.`, '* 2 EXPUNGE', 'e OK UID MOVE completed.']);
    expect(await c.command('f', 'FETCH 1:* UID')).toEqual(['* 1 FETCH (UID 1)', 'f OK FETCH completed.']);
    await t.db.dataSource.query('UPDATE mailboxes SET quota_bytes = used_bytes WHERE id = $1', [mailboxId]);
    expect(await c.command('g', 'COPY 1 Trash')).toEqual(['g NO [OVERQUOTA] Quota exceeded (mailbox for user is full).']);
    expect(await c.command('h', 'STATUS Trash (MESSAGES)')).toEqual(['* STATUS Trash (MESSAGES 5)', 'h OK STATUS completed.']);
    c.close();
  });

  it('EXPUNGE and UID EXPUNGE report sequence numbers; CLOSE expunges silently; UNSELECT does not; CHECK', async () => {
    const { address } = await mailbox([plain(1), plain(2), plain(3), plain(4), plain(5)]);
    const c = await select(address);
    await c.command('a', 'STORE 2,3,5 +FLAGS.SILENT (\\Deleted)');
    expect(await c.command('b', 'UID EXPUNGE 3:5')).toEqual(['* 3 EXPUNGE', '* 4 EXPUNGE', 'b OK UID EXPUNGE completed.']);
    expect(await c.command('c', 'EXPUNGE')).toEqual(['* 2 EXPUNGE', 'c OK EXPUNGE completed.']);
    expect(await c.command('d', 'UID SEARCH ALL')).toEqual(['* SEARCH 1 4', 'd OK UID SEARCH completed.']);
    expect(await c.command('e', 'CHECK')).toEqual(['e OK CHECK completed.']);
    await c.command('f', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await c.command('g', 'UNSELECT')).toEqual(['g OK UNSELECT completed.']);
    expect(await c.command('h', 'STATUS INBOX (MESSAGES)')).toEqual(['* STATUS INBOX (MESSAGES 2)', 'h OK STATUS completed.']);
    await c.command('i', 'SELECT INBOX');
    expect(await c.command('j', 'CLOSE')).toEqual(['j OK CLOSE completed.']);
    expect(await c.command('k', 'STATUS INBOX (MESSAGES)')).toEqual(['* STATUS INBOX (MESSAGES 1)', 'k OK STATUS completed.']);
    expect(await c.command('l', 'FETCH 1 FLAGS')).toEqual(['l BAD FETCH needs a selected mailbox: use SELECT or EXAMINE first.']);
    c.close();
  });

  it('CREATE, RENAME (children, INBOX), DELETE, SUBSCRIBE, LIST-EXTENDED, LIST-STATUS, special use; name rules and limits', async () => {
    const { address, mailboxId } = await mailbox([plain(1)]);
    const c = await login(address);
    expect(await c.command('a', 'CREATE Projects/')).toEqual(['a OK CREATE completed.']);
    expect(await c.command('b', 'CREATE Projects/2026')).toEqual(['b OK CREATE completed.']);
    expect(await c.command('c', 'CREATE Projects')).toEqual(['c NO [ALREADYEXISTS] Mailbox already exists.']);
    expect(await c.command('d', 'CREATE inbox')).toEqual(['d NO [ALREADYEXISTS] Mailbox already exists.']);
    expect(await c.command('e', 'CREATE "a//b"')).toEqual(['e NO [CANNOT] Mailbox name must not have empty hierarchy levels.']);
    expect(await c.command('f', 'CREATE "a/../b"')).toEqual(['f NO [CANNOT] Mailbox name must not contain "." or ".." levels.']);
    expect(await c.command('g', `CREATE ${'x/'.repeat(16)}y`)).toEqual(['g NO [CANNOT] Mailbox hierarchy too deep (limit 16 levels).']);
    expect(await c.command('h', 'CREATE Stash (USE (\\Archive))')).toEqual(['h OK CREATE completed.']);
    expect(await c.command('i', 'CREATE Other (USE (\\Important))')).toEqual(['i NO [USEATTR] Unsupported special-use attribute.']);
    expect(await c.command('j', 'CREATE &AMk-t&AOk-')).toEqual(['j OK CREATE completed.']);
    expect(await c.command('k', 'RENAME Projects Work')).toEqual(['k OK RENAME completed.']);
    expect(await c.command('l', 'RENAME Work Sent')).toEqual(['l NO [ALREADYEXISTS] Mailbox already exists.']);
    expect(await c.command('m', 'RENAME Nope X')).toEqual(['m NO [NONEXISTENT] Mailbox does not exist.']);
    expect(await c.command('n', 'RENAME Work Work/Sub')).toEqual(['n NO [CANNOT] Cannot rename a mailbox into itself.']);
    // CREATE does not subscribe; SUBSCRIBE does.
    expect(await c.command('o', 'SUBSCRIBE Work')).toEqual(['o OK SUBSCRIBE completed.']);
    expect(await c.command('p', 'LIST "" "Work*"')).toEqual(['* LIST (\\HasChildren) "/" Work', '* LIST (\\HasNoChildren) "/" Work/2026', 'p OK LIST completed.']);
    // LIST-EXTENDED: child and special-use attributes only when asked for (RFC 5258, as Dovecot).
    expect(await c.command('q', 'LIST (SUBSCRIBED) "" "Work*" RETURN (CHILDREN)')).toEqual(['* LIST (\\Subscribed \\HasChildren) "/" Work', 'q OK LIST completed.']);
    expect(await c.command('q2', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"')).toContain('* LIST (\\Subscribed) "/" Work');
    expect(await c.command('r', 'LIST (SPECIAL-USE) "" "*"')).toEqual([
      '* LIST (\\Drafts) "/" Drafts',
      '* LIST (\\Junk) "/" Junk',
      '* LIST (\\Sent) "/" Sent',
      '* LIST (\\Archive) "/" Stash',
      '* LIST (\\Trash) "/" Trash',
      'r OK LIST completed.',
    ]);
    expect(await c.command('s', 'LIST "" (INBOX "&AMk-*") RETURN (STATUS (MESSAGES UIDNEXT) SUBSCRIBED)')).toEqual([
      '* LIST (\\Subscribed) "/" INBOX',
      '* STATUS INBOX (MESSAGES 1 UIDNEXT 2)',
      '* LIST () "/" &AMk-t&AOk-',
      '* STATUS &AMk-t&AOk- (MESSAGES 0 UIDNEXT 1)',
      's OK LIST completed.',
    ]);
    // A parent may be deleted: its name stays as \Noselect while it has children (RFC 3501 6.3.4).
    expect(await c.command('t', 'DELETE Work')).toEqual(['t OK DELETE completed.']);
    expect(await c.command('t2', 'LIST "" "Work*"')).toEqual(['* LIST (\\Noselect \\HasChildren) "/" Work', '* LIST (\\HasNoChildren) "/" Work/2026', 't2 OK LIST completed.']);
    expect(await c.command('t3', 'DELETE Work')).toEqual(['t3 NO [NONEXISTENT] Mailbox does not exist.']);
    expect(await c.command('u', 'DELETE INBOX')).toEqual(['u NO [CANNOT] INBOX cannot be deleted.']);
    expect(await c.command('v', 'DELETE Work/2026')).toEqual(['v OK DELETE completed.']);
    expect(await c.command('w', 'DELETE Work/2026')).toEqual(['w NO [NONEXISTENT] Mailbox does not exist.']);
    expect(await c.command('x', 'RENAME INBOX Archived')).toEqual(['x OK RENAME completed.']);
    expect(await c.command('y', 'STATUS INBOX (MESSAGES)')).toEqual(['* STATUS INBOX (MESSAGES 0)', 'y OK STATUS completed.']);
    expect(await c.command('z', 'STATUS Archived (MESSAGES UIDNEXT)')).toEqual(['* STATUS Archived (MESSAGES 1 UIDNEXT 2)', 'z OK STATUS completed.']);
    c.close();
    // The folder count limit (DARWIN_IMAP_MAX_FOLDERS, here through the config key imapMaxFolders).
    const count = (await t.store.listFolders(mailboxId)).length;
    const sib = await t.sibling({}, undefined, undefined, { imapMaxFolders: count });
    try {
      const s = await RawImapClient.connect(sib.port);
      await s.next();
      await s.command('L', `LOGIN ${address} "${PASSWORD}"`);
      expect(await s.command('a', 'CREATE OneTooMany')).toEqual([`a NO [LIMIT] Too many mailboxes (limit ${count}).`]);
      s.close();
    } finally {
      await sib.close();
    }
  });

  it('\\Recent: one session per message, across sessions; EXAMINE and STATUS do not take it; SEARCH RECENT, NEW, OLD', async () => {
    const { address, mailboxId } = await mailbox([plain(1), plain(2), plain(3)], { recent: true });
    const probe = await login(address);
    expect(await probe.command('s1', 'STATUS INBOX (MESSAGES RECENT)')).toEqual(['* STATUS INBOX (MESSAGES 3 RECENT 3)', 's1 OK STATUS completed.']);
    // EXAMINE shows them as recent but leaves them for the next SELECT.
    const e = await login(address);
    expect(await e.command('e1', 'EXAMINE INBOX')).toContain('* 3 RECENT');
    expect(await e.command('e2', 'FETCH 1 FLAGS')).toEqual(['* 1 FETCH (FLAGS (\\Recent))', 'e2 OK FETCH completed.']);
    e.close();
    const a = await login(address);
    expect(await a.command('a1', 'SELECT INBOX')).toContain('* 3 RECENT');
    expect(await a.command('a2', 'STORE 1 +FLAGS (\\Seen)')).toEqual(['* 1 FETCH (FLAGS (\\Seen \\Recent))', 'a2 OK STORE completed.']);
    expect(await a.command('a3', 'SEARCH RECENT')).toEqual(['* SEARCH 1 2 3', 'a3 OK SEARCH completed.']);
    expect(await a.command('a4', 'SEARCH NEW')).toEqual(['* SEARCH 2 3', 'a4 OK SEARCH completed.']);
    expect(await a.command('a5', 'SEARCH OLD')).toEqual(['* SEARCH', 'a5 OK SEARCH completed.']);
    // A second session finds nothing recent: the first one took it.
    const b = await login(address);
    expect(await b.command('b1', 'SELECT INBOX')).toContain('* 0 RECENT');
    expect(await b.command('b2', 'FETCH 2 FLAGS')).toEqual(['* 2 FETCH (FLAGS ())', 'b2 OK FETCH completed.']);
    expect(await b.command('b3', 'SEARCH OLD')).toEqual(['* SEARCH 1 2 3', 'b3 OK SEARCH completed.']);
    expect(await probe.command('s2', 'STATUS INBOX (RECENT)')).toEqual(['* STATUS INBOX (RECENT 0)', 's2 OK STATUS completed.']);
    // New mail is recent to the session that learns of it first, and only to it.
    await t.deliver(mailboxId, plain(4));
    expect(await a.command('a6', 'NOOP')).toEqual(['* 4 EXISTS', '* 4 RECENT', 'a6 OK NOOP completed.']);
    // RECENT follows EXISTS only when it changed, as Dovecot does.
    expect(await b.command('b4', 'NOOP')).toEqual(['* 4 EXISTS', 'b4 OK NOOP completed.']);
    expect(await a.command('a7', 'FETCH 4 FLAGS')).toEqual(['* 4 FETCH (FLAGS (\\Recent))', 'a7 OK FETCH completed.']);
    expect(await b.command('b5', 'SEARCH RECENT')).toEqual(['* SEARCH', 'b5 OK SEARCH completed.']);
    // Expunging recent messages lowers the count, and the new count is reported (as Dovecot does).
    await a.command('a8', 'STORE 4 +FLAGS.SILENT (\\Deleted)');
    expect(await a.command('a9', 'EXPUNGE')).toEqual(['* 4 EXPUNGE', '* 3 RECENT', 'a9 OK EXPUNGE completed.']);
    for (const c of [probe, a, b]) c.close();
  });

  it('STATUS items, NAMESPACE, ID, GETQUOTAROOT/GETQUOTA with the API figures, SETQUOTA refused', async () => {
    const { address, mailboxId } = await mailbox([plain(1), plain(2)], { flags: [['\\Seen'], []] });
    await t.db.dataSource.query('UPDATE mailboxes SET quota_bytes = 10485760, quota_messages = 1000 WHERE id = $1', [mailboxId]);
    const q = await t.store.quota(mailboxId);
    const c = await login(address);
    const uv = await uidvalidity(mailboxId);
    const modseq = (await t.store.getFolder(mailboxId, 'INBOX'))!.highestModseq;
    expect(await c.command('a', 'STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ APPENDLIMIT)')).toEqual([
      `* STATUS INBOX (MESSAGES 2 RECENT 0 UIDNEXT 3 UIDVALIDITY ${uv} UNSEEN 1 HIGHESTMODSEQ ${modseq} APPENDLIMIT 52428800)`,
      'a OK STATUS completed.',
    ]);
    expect(await c.command('b', 'STATUS Nope (MESSAGES)')).toEqual(['b NO [NONEXISTENT] Mailbox does not exist.']);
    expect(await c.command('c', 'STATUS INBOX (BOGUS)')).toEqual(['c BAD STATUS: Unknown status item BOGUS']);
    expect(await c.command('d', 'NAMESPACE')).toEqual(['* NAMESPACE (("" "/")) NIL NIL', 'd OK NAMESPACE completed.']);
    expect(await c.command('e', 'ID ("name" "test" "version" "1")')).toEqual(['* ID ("name" "Darwin Mail" "vendor" "Darwin Mail")', 'e OK ID completed.']);
    expect(await c.command('f', 'ID NIL')).toEqual(['* ID ("name" "Darwin Mail" "vendor" "Darwin Mail")', 'f OK ID completed.']);
    const quota = `* QUOTA "" (STORAGE ${Math.floor(q.usedBytes / 1024)} 10240 MESSAGE 2 1000)`;
    expect(await c.command('g', 'GETQUOTAROOT INBOX')).toEqual(['* QUOTAROOT INBOX ""', quota, 'g OK GETQUOTAROOT completed.']);
    expect(await c.command('h', 'GETQUOTA ""')).toEqual([quota, 'h OK GETQUOTA completed.']);
    expect(await c.command('i', 'GETQUOTA "other"')).toEqual(['i NO [NONEXISTENT] Quota root does not exist.']);
    expect(await c.command('j', 'SETQUOTA "" (STORAGE 1)')).toEqual(['j NO [NOPERM] Quota can only be changed by your administrator.']);
    c.close();
  });

  it('APPEND: APPENDUID, flags and date kept, LITERAL+, TRYCREATE; TOOBIG and OVERQUOTA refused before "+", nothing stored', async () => {
    const { address, mailboxId } = await mailbox([]);
    const uv = await uidvalidity(mailboxId);
    const c = await select(address);
    const msg = plain(7).toString('latin1');
    c.send(`a APPEND INBOX (\\Seen $Sent) " 5-Mar-2026 09:04:00 +0100" {${msg.length}}\r\n`);
    expect((await c.next()).text).toBe('+ Ready for literal data');
    c.send(`${msg}\r\n`);
    // APPEND into the selected mailbox reports the new message at once, as Dovecot does; this
    // session is the first to see it, so it is \Recent here.
    expect(await c.until('a')).toEqual(['* 1 EXISTS', '* 1 RECENT', `a OK [APPENDUID ${uv} 1] APPEND completed.`]);
    c.send(`b APPEND INBOX {${msg.length}+}\r\n${msg}\r\n`);
    expect(await c.until('b')).toEqual(['* 2 EXISTS', '* 2 RECENT', `b OK [APPENDUID ${uv} 2] APPEND completed.`]);
    expect(await c.command('c', 'FETCH 1 (FLAGS INTERNALDATE)')).toEqual(['* 1 FETCH (FLAGS (\\Seen \\Recent $Sent) INTERNALDATE "05-Mar-2026 08:04:00 +0000")', 'c OK FETCH completed.']);
    c.send(`d APPEND Nowhere {${msg.length}+}\r\n${msg}\r\n`);
    expect(await c.until('d')).toEqual(['d NO [TRYCREATE] Mailbox does not exist.']);
    // Over APPENDLIMIT: refused before the client sends a byte.
    c.send('e APPEND INBOX {52428801}\r\n');
    expect(await c.until('e')).toEqual(['e NO [TOOBIG] Message too large (limit 52428800 bytes).']);
    await t.db.dataSource.query('UPDATE mailboxes SET quota_bytes = used_bytes + 10 WHERE id = $1', [mailboxId]);
    c.send(`f APPEND INBOX {${msg.length}}\r\n`);
    expect(await c.until('f')).toEqual(['f NO [OVERQUOTA] Quota exceeded (mailbox for user is full).']);
    expect(await c.command('g', 'NOOP')).toEqual(['g OK NOOP completed.']);
    expect(await c.command('h', 'STATUS INBOX (MESSAGES)')).toEqual(['* STATUS INBOX (MESSAGES 2)', 'h OK STATUS completed.']);
    c.close();
  });

  it('APPEND streams a large literal into the store in pieces and the bytes come back identical', async () => {
    const { address, mailboxId } = await mailbox([]);
    const c = await login(address);
    const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(3 * 1024 * 1024, 'abcdefghij\r\n')]);
    c.send(`a APPEND INBOX {${big.length}}\r\n`);
    expect((await c.next()).text).toBe('+ Ready for literal data');
    for (let i = 0; i < big.length; i += 65536) c.send(big.subarray(i, i + 65536));
    c.send('\r\n');
    expect((await c.until('a', 20000)).at(-1)).toMatch(/^a OK \[APPENDUID \d+ 1\] APPEND completed\.$/);
    const inbox = (await t.store.getFolder(mailboxId, 'INBOX'))!;
    const [m] = await t.store.listMessages(inbox.id);
    const parts: Buffer[] = [];
    for await (const chunk of t.store.openBlob(m!.blobId)) parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).equals(big)).toBe(true);
    c.close();
  });

  it('AUTHENTICATE PLAIN and LOGIN, with SASL-IR and with continuations; "*" cancels; wrong passwords fail', async () => {
    const { address } = await mailbox([]);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const c1 = await RawImapClient.connect(t.port);
    await c1.next();
    expect((await c1.command('a', `AUTHENTICATE PLAIN ${b64(`\0${address}\0wrong`)}`)).at(-1)).toBe('a NO [AUTHENTICATIONFAILED] Authentication failed.');
    c1.send('b AUTHENTICATE PLAIN\r\n');
    expect((await c1.next()).text).toBe('+ ');
    c1.send('*\r\n');
    expect(await c1.until('b')).toEqual(['b BAD Authentication aborted by client.']);
    expect((await c1.command('c', `AUTHENTICATE PLAIN ${b64(`${address}\0${address}\0${PASSWORD}`)}`)).at(-1)).toMatch(/^c OK \[CAPABILITY IMAP4rev1 .*\] Logged in$/);
    c1.close();
    const c2 = await RawImapClient.connect(t.port);
    await c2.next();
    c2.send('a AUTHENTICATE LOGIN\r\n');
    expect((await c2.next()).text).toBe(`+ ${b64('Username:')}`);
    c2.send(`${b64(address)}\r\n`);
    expect((await c2.next()).text).toBe(`+ ${b64('Password:')}`);
    c2.send(`${b64(PASSWORD)}\r\n`);
    expect((await c2.until('a')).at(-1)).toMatch(/^a OK \[CAPABILITY .*\] Logged in$/);
    expect(await c2.command('b', 'AUTHENTICATE PLAIN')).toEqual(['b BAD AUTHENTICATE is not allowed: already logged in.']);
    c2.close();
    const c3 = await RawImapClient.connect(t.port);
    await c3.next();
    expect(await c3.command('a', 'AUTHENTICATE CRAM-MD5')).toEqual(['a NO Unsupported authentication mechanism CRAM-MD5.']);
    c3.close();
  });

  it('ENABLE CONDSTORE: MODSEQ in FETCH, CHANGEDSINCE, UNCHANGEDSINCE with MODIFIED, SEARCH MODSEQ, HIGHESTMODSEQ', async () => {
    const { address, mailboxId } = await mailbox([plain(1), plain(2), plain(3)]);
    const c = await login(address);
    expect(await c.command('a', 'ENABLE CONDSTORE X-UNKNOWN')).toEqual(['* ENABLED CONDSTORE', 'a OK ENABLE completed.']);
    const sel = await c.command('b', 'SELECT INBOX');
    const start = (await t.store.getFolder(mailboxId, 'INBOX'))!.highestModseq;
    expect(sel).toContain(`* OK [HIGHESTMODSEQ ${start}] Highest`);
    const msgs = await t.store.listMessages((await t.store.getFolder(mailboxId, 'INBOX'))!.id);
    expect(await c.command('c', 'FETCH 1 (MODSEQ)')).toEqual([`* 1 FETCH (MODSEQ (${msgs[0]!.modseq}))`, 'c OK FETCH completed.']);
    expect(await c.command('d', 'STORE 1 +FLAGS (\\Seen)')).toEqual([`* 1 FETCH (MODSEQ (${start + 1}) FLAGS (\\Seen))`, 'd OK STORE completed.']);
    expect(await c.command('e', `FETCH 1:* (FLAGS) (CHANGEDSINCE ${start})`)).toEqual([`* 1 FETCH (FLAGS (\\Seen) MODSEQ (${start + 1}))`, 'e OK FETCH completed.']);
    expect(await c.command('f', `UID STORE 1:2 (UNCHANGEDSINCE ${msgs[1]!.modseq}) +FLAGS (\\Flagged)`)).toEqual([
      `* 2 FETCH (UID 2 MODSEQ (${start + 2}) FLAGS (\\Flagged))`,
      'f OK [MODIFIED 1] Conditional UID STORE failed.',
    ]);
    expect(await c.command('g', `SEARCH MODSEQ ${start + 1}`)).toEqual([`* SEARCH 1 2 (MODSEQ ${start + 2})`, 'g OK SEARCH completed.']);
    expect(await c.command('h', 'STATUS Trash (HIGHESTMODSEQ)')).toEqual([`* STATUS Trash (HIGHESTMODSEQ 1)`, 'h OK STATUS completed.']);
    expect(await c.command('i', 'SELECT Trash')).toContain('* OK [CLOSED] Previous mailbox closed.');
    c.close();
  });

  it('QRESYNC: SELECT with known UIDs gives VANISHED (EARLIER) and changed flags; EXPUNGE becomes VANISHED; UID FETCH VANISHED', async () => {
    const { address, mailboxId } = await mailbox([plain(1), plain(2), plain(3), plain(4)]);
    const inbox = (await t.store.getFolder(mailboxId, 'INBOX'))!;
    const uv = inbox.uidvalidity;
    const before = inbox.highestModseq;
    await t.store.expunge(inbox.id, { uids: [2], onlyDeleted: false });
    await t.store.updateFlags(inbox.id, [3], 'add', ['\\Answered']);
    const c = await login(address);
    expect(await c.command('a', 'SELECT INBOX (QRESYNC (1 1))')).toEqual(['a BAD QRESYNC must be enabled first (ENABLE QRESYNC).']);
    expect(await c.command('b', 'ENABLE QRESYNC')).toEqual(['* ENABLED QRESYNC', 'b OK ENABLE completed.']);
    const sel = await c.command('c', `SELECT INBOX (QRESYNC (${uv} ${before} 1:4))`);
    const now = (await t.store.getFolder(mailboxId, 'INBOX'))!.highestModseq;
    expect(sel.slice(-4)).toEqual([
      `* OK [HIGHESTMODSEQ ${now}] Highest`,
      '* VANISHED (EARLIER) 2',
      `* 2 FETCH (UID 3 FLAGS (\\Answered) MODSEQ (${now}))`,
      'c OK [READ-WRITE] SELECT completed.',
    ]);
    await c.command('d', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await c.command('e', 'EXPUNGE')).toEqual(['* VANISHED 1', 'e OK EXPUNGE completed.']);
    expect(await c.command('f', `UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${before} VANISHED)`)).toEqual([
      '* VANISHED (EARLIER) 1:2',
      `* 1 FETCH (UID 3 FLAGS (\\Answered) MODSEQ (${now}))`,
      'f OK UID FETCH completed.',
    ]);
    c.close();
  });

  it('QRESYNC after old expunge records were pruned: VANISHED (EARLIER) from the UIDs still present, live sessions too', async () => {
    const { address, mailboxId } = await mailbox([plain(1), plain(2), plain(3), plain(4), plain(5), plain(6)]);
    const inbox = (await t.store.getFolder(mailboxId, 'INBOX'))!;
    const uv = inbox.uidvalidity;
    const before = inbox.highestModseq;
    // A session that stays selected across the pruning.
    const live = await select(address);
    await t.store.expunge(inbox.id, { uids: [2, 6], onlyDeleted: false });
    await t.db.dataSource.query(`UPDATE expunged_messages SET expunged_at = now() - interval '400 days' WHERE folder_id = $1`, [inbox.id]);
    expect(await t.store.pruneExpunged(new Date(Date.now() - 30 * 86_400_000))).toBe(2);
    await t.store.expunge(inbox.id, { uids: [4], onlyDeleted: false });
    // The live session learns of all three, although two have no record any more.
    expect(await live.command('n', 'NOOP')).toEqual(['* 2 EXPUNGE', '* 3 EXPUNGE', '* 4 EXPUNGE', 'n OK NOOP completed.']);
    expect(await live.command('u', 'UID SEARCH ALL')).toEqual(['* SEARCH 1 3 5', 'u OK UID SEARCH completed.']);
    live.close();
    const c = await login(address);
    await c.command('b', 'ENABLE QRESYNC');
    // Known UIDs 1:6: every one of them that is gone is reported, UID 6 (the highest) included.
    const sel = await c.command('c', `SELECT INBOX (QRESYNC (${uv} ${before} 1:6))`);
    expect(sel).toContain('* VANISHED (EARLIER) 2,4,6');
    // Without known UIDs: everything below UIDNEXT that is not there.
    const sel2 = await c.command('d', `SELECT INBOX (QRESYNC (${uv} ${before}))`);
    expect(sel2).toContain('* VANISHED (EARLIER) 2,4,6');
    const f = await c.command('e', `UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${before} VANISHED)`);
    expect(f[0]).toBe('* VANISHED (EARLIER) 2,4,6');
    expect(f.at(-1)).toBe('e OK UID FETCH completed.');
    // From a modseq after the pruned expunges the record is complete again: only UID 4.
    const after = await c.command('g', `UID FETCH 1:* (UID) (CHANGEDSINCE ${before + 1} VANISHED)`);
    expect(after[0]).toBe('* VANISHED (EARLIER) 4');
    c.close();
  });

  it('UTF8=ACCEPT: mailbox names are UTF-8 on the wire once enabled', async () => {
    const { address } = await mailbox([]);
    const c = await login(address);
    expect(await c.command('a', 'ENABLE UTF8=ACCEPT')).toEqual(['* ENABLED UTF8=ACCEPT', 'a OK ENABLE completed.']);
    c.send('b CREATE "Entwürfe & Co"\r\n');
    expect(await c.until('b')).toEqual(['b OK CREATE completed.']);
    const r = await c.command('c', 'LIST "" "Entw*"');
    expect(Buffer.from(r[0]!, 'latin1').toString('utf8')).toBe('* LIST (\\HasNoChildren) "/" "Entwürfe & Co"');
    c.close();
    const legacy = await login(address);
    expect((await legacy.command('d', 'LIST "" "Entw*"'))[0]).toBe('* LIST (\\HasNoChildren) "/" "Entw&APw-rfe &- Co"');
    legacy.close();
  });

  it('UTF8=ACCEPT: APPEND takes the message as UTF8 (~{n}) (RFC 6855 section 4), byte for byte; a literal8 elsewhere is BAD', async () => {
    const { address } = await mailbox([]);
    const c = await login(address);
    expect(await c.command('a', 'ENABLE UTF8=ACCEPT')).toEqual(['* ENABLED UTF8=ACCEPT', 'a OK ENABLE completed.']);
    const msg = Buffer.from('From: Jörg <jörg@bücher.example>\r\nSubject: Grüße\r\n\r\nHallo\r\n', 'utf8');
    // Synchronising: the server answers "+" before the bytes.
    c.send(`b APPEND INBOX (\\Seen) UTF8 (~{${msg.length}}\r\n`);
    expect((await c.next()).text).toMatch(/^\+ /);
    c.send(Buffer.concat([msg, Buffer.from(')\r\n')]));
    expect((await c.until('b')).at(-1)).toMatch(/^b OK \[APPENDUID \d+ 1\] APPEND completed\.$/);
    // Non-synchronising, with a date.
    c.send(Buffer.concat([Buffer.from(`c APPEND INBOX "01-Jan-2026 10:00:00 +0000" UTF8 (~{${msg.length}+}\r\n`), msg, Buffer.from(')\r\n')]));
    expect((await c.until('c')).at(-1)).toMatch(/^c OK \[APPENDUID \d+ 2\] APPEND completed\.$/);
    await c.command('s', 'SELECT INBOX');
    const fetched = await c.command('f', 'UID FETCH 1:2 (FLAGS INTERNALDATE BODY.PEEK[])');
    const raw = Buffer.from(fetched.join('\r\n'), 'latin1');
    expect(raw.includes(msg)).toBe(true);
    expect(fetched[0]).toContain('FLAGS (\\Seen \\Recent)');
    expect(fetched.join('\n')).toContain('INTERNALDATE "01-Jan-2026 10:00:00 +0000"');
    // literal8 anywhere else, or bare as the message, is refused before "+".
    expect(await c.command('g', 'CREATE ~{3}')).toEqual(['g BAD Binary literals (~{n}) are only accepted in APPEND ... UTF8 (~{n}).']);
    expect(await c.command('h', 'APPEND INBOX ~{5}')).toEqual(['h BAD Binary literals (~{n}) are only accepted in APPEND ... UTF8 (~{n}).']);
    expect((await c.command('i', 'NOOP')).at(-1)).toBe('i OK NOOP completed.');
    c.close();
  });

  it('AUTHENTICATE never logs the password, neither in the initial response nor in continuation lines', async () => {
    const secret = 'Auth-S3cret-never-logged';
    const address = `authlog${++n}@imap.test`;
    await t.seed(address, secret);
    const lines: string[] = [];
    const sib = await t.sibling({}, lines);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    try {
      const c = await RawImapClient.connect(sib.port);
      await c.next();
      expect((await c.command('a', `AUTHENTICATE PLAIN ${b64(`\0${address}\0${secret}`)}`)).at(-1)).toMatch(/^a OK /);
      c.close();
      const d = await RawImapClient.connect(sib.port);
      await d.next();
      d.send('b AUTHENTICATE LOGIN\r\n');
      await d.next();
      d.send(`${b64(address)}\r\n`);
      await d.next();
      d.send(`${b64(secret)}\r\n`);
      expect((await d.until('b')).at(-1)).toMatch(/^b OK /);
      d.close();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await sib.close();
    }
    const text = lines.join('');
    expect(text).toContain('command="a AUTHENTICATE PLAIN ***"');
    for (const leak of [secret, b64(secret), b64(`\0${address}\0${secret}`)]) expect(text).not.toContain(leak);
  });
});
