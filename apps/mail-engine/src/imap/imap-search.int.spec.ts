/**
 * SEARCH over a raw socket: the flag keys each with messages that match and messages that do not,
 * BCC and DRAFT with a match, and the bound on how deeply keys nest (NOT and OR chains included),
 * which a client could otherwise use to overflow the server's stack with one 64 KiB line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_KEY_DEPTH } from './protocol/search-keys.js';
import { RawImapClient } from './testing/raw-imap-client.js';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = 'correct horse battery';

function note(n: number, extra = ''): Buffer {
  return Buffer.from(`From: sender${n}@example.org\r\nTo: box@imap.test\r\n${extra}Subject: note ${n}\r\n\r\nbody of note ${n}\r\n`);
}

describe('IMAP SEARCH over a raw socket', () => {
  let t: ImapTestServer;
  let c: RawImapClient;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await startImapTestServer({ logLines });
    const mb = await t.seed('search@imap.test', PASSWORD);
    // Each flag on a different set of messages, so a key answered from the wrong flag shows.
    const flags = [['\\Answered', '\\Seen'], ['\\Deleted', '\\Flagged', '\\Seen'], ['\\Draft', '\\Flagged'], []];
    for (let i = 0; i < flags.length; i++) await t.deliver(mb.mailboxId, note(i + 1, i === 3 ? 'Bcc: hidden@example.net\r\n' : ''), { flags: flags[i] });
    c = await RawImapClient.loggedIn(t.port, 'search@imap.test', PASSWORD);
    expect((await c.command('S', 'SELECT INBOX')).at(-1)).toMatch(/^S OK /);
  });
  afterAll(async () => {
    c?.close();
    await t?.close();
  });

  const search = async (q: string) => (await c.command('s', `SEARCH ${q}`))[0];

  it.each([
    ['ANSWERED', '1'],
    ['UNANSWERED', '2 3 4'],
    ['DELETED', '2'],
    ['UNDELETED', '1 3 4'],
    ['DRAFT', '3'],
    ['UNDRAFT', '1 2 4'],
    ['FLAGGED', '2 3'],
    ['UNFLAGGED', '1 4'],
    ['BCC hidden', '4'],
    ['BCC HIDDEN@example', '4'],
    ['BCC sender4', ''],
    ['UNDELETED UNDRAFT UNANSWERED', '4'],
  ])('SEARCH %s', async (key, hits) => {
    expect(await search(key)).toBe(`* SEARCH${hits ? ` ${hits}` : ''}`);
  });

  it('NOT and OR chains nest no deeper than parenthesised lists: BAD, and the session goes on', async () => {
    const MAX = MAX_KEY_DEPTH;
    // At the limit the chain is still a search.
    expect(await search(`${'NOT '.repeat(MAX)}ANSWERED`)).toBe('* SEARCH 1');
    expect(await search(`${'OR '.repeat(MAX)}DRAFT${' DELETED'.repeat(MAX)}`)).toBe('* SEARCH 2 3');
    const tooDeep = ['BAD SEARCH: Search keys are nested too deeply'];
    expect((await c.command('n', `SEARCH ${'NOT '.repeat(MAX + 1)}ALL`)).map((l) => l.slice(2))).toEqual(tooDeep);
    // 16,000 levels fit in a 64 KiB line: refused, not a stack overflow that drops the connection.
    expect((await c.command('n', `SEARCH ${'NOT '.repeat(16_000)}ALL`, 15_000)).map((l) => l.slice(2))).toEqual(tooDeep);
    expect((await c.command('o', `SEARCH ${'OR ALL '.repeat(9_000)}ALL`, 15_000)).map((l) => l.slice(2))).toEqual(tooDeep);
    // Lists, NOT and OR count together.
    expect((await c.command('p', `SEARCH ${'('.repeat(16)}${'NOT '.repeat(MAX - 16)}ALL${')'.repeat(16)}`)).at(-1)).toBe('p OK SEARCH completed.');
    expect((await c.command('p', `SEARCH ${'('.repeat(16)}${'NOT '.repeat(MAX - 15)}ALL${')'.repeat(16)}`)).map((l) => l.slice(2))).toEqual(tooDeep);
    expect(await search('UNFLAGGED')).toBe('* SEARCH 1 4');
    expect(logLines.filter((l) => /"level":"(error|fatal)"/.test(l))).toEqual([]);
  });
});
