/**
 * Session-state edges over a raw socket: LOGOUT in every state, CLOSE after EXAMINE (which must
 * not expunge), SELECT with the (CONDSTORE) parameter instead of ENABLE, and the FETCH FULL macro
 * on the wire.
 */
import { describe, expect, it } from 'vitest';
import { RawImapClient } from './testing/raw-imap-client.js';
import { useImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = 'correct horse battery';
const NOTE = Buffer.from('From: Ann <ann@example.org>\r\nTo: box@imap.test\r\nSubject: hi\r\nDate: Wed, 04 Mar 2026 10:00:00 +0000\r\n\r\nhello\r\n');

describe('IMAP session states over a raw socket', () => {
  const server = useImapTestServer();
  let n = 0;

  /** A fresh mailbox with `count` copies of NOTE in INBOX. */
  async function mailbox(count: number): Promise<{ address: string; mailboxId: string }> {
    const t = server();
    const address = `state${++n}@imap.test`;
    const mb = await t.seed(address, PASSWORD);
    for (let i = 0; i < count; i++) await t.deliver(mb.mailboxId, NOTE, { internalDate: new Date('2026-03-05T09:04:00Z') });
    await t.claimRecent(mb.mailboxId);
    return { address, mailboxId: mb.mailboxId };
  }

  const login = (address: string) => RawImapClient.loggedIn(server().port, address, PASSWORD);
  const inboxMessages = async (mailboxId: string) => server().store.listMessages((await server().store.getFolder(mailboxId, 'INBOX'))!.id);

  it('LOGOUT before login says BYE, completes and closes', async () => {
    const c = await RawImapClient.connect(server().port);
    await c.next();
    expect(await c.command('a', 'LOGOUT')).toEqual(['* BYE Darwin Mail logging out.', 'a OK LOGOUT completed.']);
    await c.waitClosed();
  });

  it('LOGOUT with a mailbox selected closes without expunging', async () => {
    const { address, mailboxId } = await mailbox(2);
    const c = await login(address);
    await c.command('S', 'SELECT INBOX');
    expect(await c.command('a', 'STORE 1 +FLAGS.SILENT (\\Deleted)')).toEqual(['a OK STORE completed.']);
    expect(await c.command('b', 'LOGOUT')).toEqual(['* BYE Darwin Mail logging out.', 'b OK LOGOUT completed.']);
    await c.waitClosed();
    expect(await inboxMessages(mailboxId)).toHaveLength(2);
  });

  it('CLOSE after EXAMINE does not expunge; after SELECT it does', async () => {
    const { address, mailboxId } = await mailbox(3);
    const c = await login(address);
    await c.command('S', 'SELECT INBOX');
    await c.command('a', 'STORE 1:2 +FLAGS.SILENT (\\Deleted)');
    expect((await c.command('b', 'EXAMINE INBOX')).at(-1)).toBe('b OK [READ-ONLY] EXAMINE completed.');
    expect(await c.command('c', 'CLOSE')).toEqual(['c OK CLOSE completed.']);
    expect(await c.command('d', 'STATUS INBOX (MESSAGES)')).toEqual(['* STATUS INBOX (MESSAGES 3)', 'd OK STATUS completed.']);
    expect(await c.command('e', 'FETCH 1 FLAGS')).toEqual(['e BAD FETCH needs a selected mailbox: use SELECT or EXAMINE first.']);
    // The same CLOSE on a read-write selection removes both.
    await c.command('f', 'SELECT INBOX');
    expect(await c.command('g', 'CLOSE')).toEqual(['g OK CLOSE completed.']);
    expect(await c.command('h', 'STATUS INBOX (MESSAGES)')).toEqual(['* STATUS INBOX (MESSAGES 1)', 'h OK STATUS completed.']);
    expect(await inboxMessages(mailboxId)).toHaveLength(1);
    c.close();
  });

  it('SELECT (CONDSTORE) turns CONDSTORE on without ENABLE: STORE answers with MODSEQ', async () => {
    const { address, mailboxId } = await mailbox(2);
    const plain = await login(address);
    await plain.command('S', 'SELECT INBOX');
    expect(await plain.command('a', 'STORE 1 +FLAGS (\\Seen)')).toEqual(['* 1 FETCH (FLAGS (\\Seen))', 'a OK STORE completed.']);
    plain.close();

    const c = await login(address);
    const start = (await server().store.getFolder(mailboxId, 'INBOX'))!.highestModseq;
    const sel = await c.command('S', 'SELECT INBOX (CONDSTORE)');
    expect(sel).toContain(`* OK [HIGHESTMODSEQ ${start}] Highest`);
    expect(sel.at(-1)).toBe('S OK [READ-WRITE] SELECT completed.');
    expect(await c.command('b', 'STORE 2 +FLAGS (\\Flagged)')).toEqual([`* 2 FETCH (MODSEQ (${start + 1}) FLAGS (\\Flagged))`, 'b OK STORE completed.']);
    expect(await c.command('d', 'EXAMINE INBOX (FROBNICATE)')).toEqual(['d BAD EXAMINE: Unknown SELECT parameter FROBNICATE']);
    c.close();
  });

  it('FETCH FULL is FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY, and does not set \\Seen', async () => {
    const { address } = await mailbox(1);
    const c = await login(address);
    await c.command('S', 'SELECT INBOX');
    const ann = '(("Ann" NIL "ann" "example.org"))';
    expect(await c.command('a', 'FETCH 1 FULL')).toEqual([
      `* 1 FETCH (FLAGS () INTERNALDATE "05-Mar-2026 09:04:00 +0000" RFC822.SIZE ${NOTE.length} ENVELOPE ("Wed, 04 Mar 2026 10:00:00 +0000" "hi" ${ann} ${ann} ${ann} ((NIL NIL "box" "imap.test")) NIL NIL NIL NIL) BODY ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 7 1))`,
      'a OK FETCH completed.',
    ]);
    expect(await c.command('b', 'FETCH 1 FLAGS')).toEqual(['* 1 FETCH (FLAGS ())', 'b OK FETCH completed.']);
    c.close();
  });
});
