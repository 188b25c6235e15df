/**
 * The message-count quota (mailboxes.quota_messages, RFC 9208 MESSAGE) as an IMAP client meets
 * it: GETQUOTAROOT reports it, APPEND and COPY that would pass it are refused with `[OVERQUOTA]`
 * and store nothing, usage figures do not move. The quota is set by SQL, as the API does.
 */
import { describe, expect, it } from 'vitest';
import { RawImapClient } from './testing/raw-imap-client.js';
import { useImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = 'quota-password';
const FULL = 'Quota exceeded (mailbox for user is full).';

function note(n: number): string {
  return `From: q@example.org\r\nTo: quota@imap.test\r\nSubject: quota ${n}\r\n\r\nbody ${n}\r\n`;
}

describe('IMAP MESSAGE quota (RFC 9208) enforced by the store', () => {
  const server = useImapTestServer();
  let n = 0;

  /** A mailbox holding `count` messages whose quota admits `limit` messages (bytes are plentiful). */
  async function limited(limit: number, count = 0): Promise<{ c: RawImapClient; mailboxId: string }> {
    const t = server();
    const address = `quota${++n}@imap.test`;
    const { mailboxId } = await t.seed(address, PASSWORD);
    for (let i = 1; i <= count; i++) await t.deliver(mailboxId, Buffer.from(note(i)));
    await t.db.dataSource.query('UPDATE mailboxes SET quota_messages = $2 WHERE id = $1', [mailboxId, limit]);
    return { c: await RawImapClient.loggedIn(t.port, address, PASSWORD), mailboxId };
  }

  /** The QUOTA line GETQUOTAROOT must show, from the store's own figures. */
  async function quotaLine(mailboxId: string): Promise<string> {
    const q = await server().store.quota(mailboxId);
    return `* QUOTA "" (STORAGE ${Math.floor(q.usedBytes / 1024)} ${Math.floor(q.quotaBytes / 1024)} MESSAGE ${q.usedMessages} ${q.quotaMessages})`;
  }

  it('GETQUOTAROOT shows MESSAGE 0 2; two APPENDs fit, the third is NO [OVERQUOTA] before "+" and stores nothing', async () => {
    const { c, mailboxId } = await limited(2);
    const empty = await quotaLine(mailboxId);
    expect(empty).toMatch(/ MESSAGE 0 2\)$/);
    expect(await c.command('q1', 'GETQUOTAROOT INBOX')).toEqual(['* QUOTAROOT INBOX ""', empty, 'q1 OK GETQUOTAROOT completed.']);

    c.send(`a1 APPEND INBOX {${note(1).length}}\r\n`);
    expect((await c.next()).text).toBe('+ Ready for literal data');
    c.send(`${note(1)}\r\n`);
    expect((await c.until('a1')).at(-1)).toMatch(/^a1 OK \[APPENDUID \d+ 1\] APPEND completed\.$/);
    expect((await c.command('a2', `APPEND INBOX {${note(2).length}+}\r\n${note(2)}`)).at(-1)).toMatch(/^a2 OK \[APPENDUID \d+ 2\] APPEND completed\.$/);
    const full = await quotaLine(mailboxId);
    expect(full).toMatch(/ MESSAGE 2 2\)$/);
    expect(await c.command('q2', 'GETQUOTAROOT INBOX')).toEqual(['* QUOTAROOT INBOX ""', full, 'q2 OK GETQUOTAROOT completed.']);

    // Synchronising: refused instead of "+", so the client never sends the message.
    c.send(`a3 APPEND INBOX {${note(3).length}}\r\n`);
    expect(await c.until('a3')).toEqual([`a3 NO [OVERQUOTA] ${FULL}`]);
    // LITERAL+: the bytes are on their way anyway; they are skipped, not stored and not read as
    // commands. NO or BAD is the dispatcher's choice for non-synchronising literals.
    c.send(`a4 APPEND INBOX {${note(4).length}+}\r\n${note(4)}\r\n`);
    expect(await c.until('a4')).toEqual([expect.stringMatching(new RegExp(`^a4 (NO|BAD) \\[OVERQUOTA\\] ${FULL.replace(/[().]/g, '\\$&')}$`))]);

    expect(await c.command('s', 'STATUS INBOX (MESSAGES UIDNEXT)')).toEqual(['* STATUS INBOX (MESSAGES 2 UIDNEXT 3)', 's OK STATUS completed.']);
    expect(await c.command('q3', 'GETQUOTAROOT INBOX')).toEqual(['* QUOTAROOT INBOX ""', full, 'q3 OK GETQUOTAROOT completed.']);
    expect(await quotaLine(mailboxId)).toBe(full);
    c.close();
  });

  it('an APPEND admitted by the pre-check but beaten to the last slot by SMTP delivery is refused by the store', async () => {
    const { c, mailboxId } = await limited(2, 1);
    c.send(`a APPEND INBOX {${note(2).length}}\r\n`);
    // One slot left: the session asks for the message...
    expect((await c.next()).text).toBe('+ Ready for literal data');
    // ...and another delivery takes that slot while the literal is in flight.
    await server().deliver(mailboxId, Buffer.from(note(9)));
    const full = await quotaLine(mailboxId);
    expect(full).toMatch(/ MESSAGE 2 2\)$/);
    c.send(`${note(2)}\r\n`);
    expect(await c.until('a')).toEqual([`a NO [OVERQUOTA] ${FULL}`]);
    expect(await c.command('s', 'STATUS INBOX (MESSAGES UIDNEXT)')).toEqual(['* STATUS INBOX (MESSAGES 2 UIDNEXT 3)', 's OK STATUS completed.']);
    expect(await quotaLine(mailboxId)).toBe(full);
    c.close();
  });

  it('COPY that would pass the quota is NO [OVERQUOTA], all or nothing; COPY into the last slot and MOVE (no new message) succeed', async () => {
    const { c, mailboxId } = await limited(3, 2);
    expect(await c.command('k', 'CREATE Keep')).toEqual(['k OK CREATE completed.']);
    expect((await c.command('s', 'SELECT INBOX')).at(-1)).toBe('s OK [READ-WRITE] SELECT completed.');
    const before = await quotaLine(mailboxId);
    expect(before).toMatch(/ MESSAGE 2 3\)$/);

    // Two copies, one free slot: neither is made.
    expect(await c.command('c1', 'COPY 1:2 Keep')).toEqual([`c1 NO [OVERQUOTA] ${FULL}`]);
    expect(await c.command('u1', 'UID COPY 1:2 Keep')).toEqual([`u1 NO [OVERQUOTA] ${FULL}`]);
    expect(await c.command('t1', 'STATUS Keep (MESSAGES UIDNEXT)')).toEqual(['* STATUS Keep (MESSAGES 0 UIDNEXT 1)', 't1 OK STATUS completed.']);
    expect(await quotaLine(mailboxId)).toBe(before);

    expect((await c.command('c2', 'COPY 1 Keep')).at(-1)).toMatch(/^c2 OK \[COPYUID \d+ 1 1\] COPY completed\.$/);
    const full = await quotaLine(mailboxId);
    expect(full).toMatch(/ MESSAGE 3 3\)$/);
    expect(await c.command('c3', 'COPY 2 Keep')).toEqual([`c3 NO [OVERQUOTA] ${FULL}`]);
    expect(await c.command('c4', 'COPY 1 INBOX')).toEqual([`c4 NO [OVERQUOTA] ${FULL}`]);
    expect(await c.command('t2', 'STATUS Keep (MESSAGES UIDNEXT)')).toEqual(['* STATUS Keep (MESSAGES 1 UIDNEXT 2)', 't2 OK STATUS completed.']);

    // A move adds no message, so a full quota does not stop it.
    expect((await c.command('m', 'MOVE 2 Keep')).at(-1)).toBe('m OK MOVE completed.');
    expect(await c.command('t3', 'STATUS Keep (MESSAGES)')).toEqual(['* STATUS Keep (MESSAGES 2)', 't3 OK STATUS completed.']);
    expect(await c.command('q', 'GETQUOTAROOT Keep')).toEqual(['* QUOTAROOT Keep ""', full, 'q OK GETQUOTAROOT completed.']);
    c.close();
  });
});
