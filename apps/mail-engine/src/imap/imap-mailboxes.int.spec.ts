/**
 * Mailbox commands over a raw socket that imap-commands.int.spec.ts does not cover: UNSUBSCRIBE
 * (LSUB and LIST (SUBSCRIBED) stop listing the name) and the name length limits (whole name and
 * each level, counted in UTF-8 bytes, not characters), for CREATE and RENAME.
 */
import { describe, expect, it } from 'vitest';
import { encodeMailboxName } from './protocol/mailbox-name.js';
import { RawImapClient } from './testing/raw-imap-client.js';
import { useImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = 'correct horse battery';

describe('IMAP mailbox commands over a raw socket', () => {
  const server = useImapTestServer();
  let n = 0;

  /** A fresh mailbox, logged in. */
  async function login(): Promise<RawImapClient> {
    const address = `names${++n}@imap.test`;
    await server().seed(address, PASSWORD);
    return RawImapClient.loggedIn(server().port, address, PASSWORD);
  }

  it('UNSUBSCRIBE: LSUB and LIST (SUBSCRIBED) no longer list the mailbox; an unknown name is NONEXISTENT', async () => {
    const c = await login();
    await c.command('a', 'CREATE Work');
    await c.command('b', 'CREATE Play');
    expect(await c.command('c', 'SUBSCRIBE Work')).toEqual(['c OK SUBSCRIBE completed.']);
    await c.command('d', 'SUBSCRIBE Play');
    expect(await c.command('e', 'LSUB "" "%"')).toEqual([
      '* LSUB () "/" INBOX',
      '* LSUB (\\Drafts) "/" Drafts',
      '* LSUB (\\Junk) "/" Junk',
      '* LSUB () "/" Play',
      '* LSUB (\\Sent) "/" Sent',
      '* LSUB (\\Trash) "/" Trash',
      '* LSUB () "/" Work',
      'e OK LSUB completed.',
    ]);
    expect(await c.command('f', 'UNSUBSCRIBE Work')).toEqual(['f OK UNSUBSCRIBE completed.']);
    expect(await c.command('g', 'LSUB "" "W*"')).toEqual(['g OK LSUB completed.']);
    expect(await c.command('g', 'LSUB "" "P*"')).toEqual(['* LSUB () "/" Play', 'g OK LSUB completed.']);
    expect(await c.command('h', 'LIST (SUBSCRIBED) "" "W*"')).toEqual(['h OK LIST completed.']);
    expect(await c.command('h', 'LIST (SUBSCRIBED) "" "P*"')).toEqual(['* LIST (\\Subscribed) "/" Play', 'h OK LIST completed.']);
    // Unsubscribing is not deleting.
    expect(await c.command('i', 'LIST "" Work')).toEqual(['* LIST (\\HasNoChildren) "/" Work', 'i OK LIST completed.']);
    expect(await c.command('j', 'UNSUBSCRIBE Work')).toEqual(['j OK UNSUBSCRIBE completed.']);
    expect(await c.command('k', 'UNSUBSCRIBE Nope')).toEqual(['k NO [NONEXISTENT] Mailbox does not exist.']);
    c.close();
  });

  it('a level may have 255 bytes and the whole name 512 (UTF-8 bytes, not characters); longer is refused and nothing is created', async () => {
    const c = await login();
    const wire = (name: string) => `"${encodeMailboxName(name)}"`;
    const level = (ch: string, bytes: number) => ch.repeat(bytes / Buffer.byteLength(ch));
    const levelTooLong = 'NO [CANNOT] Mailbox name level too long (limit 255 bytes).';
    const nameTooLong = 'NO [CANNOT] Mailbox name too long (limit 512 bytes).';
    const create = async (name: string) => (await c.command('c', `CREATE ${wire(name)}`)).map((l) => l.slice(2));

    expect(await create(level('a', 255))).toEqual(['OK CREATE completed.']);
    expect(await create(level('b', 256))).toEqual([levelTooLong]);
    // 127 characters of "é" are 254 bytes, 128 are 256: the limit counts bytes.
    expect(await create(level('é', 254))).toEqual(['OK CREATE completed.']);
    expect(await create(level('è', 256))).toEqual([levelTooLong]);
    // 170 + 1 + 170 + 1 + 170 = 512 bytes.
    const longest = [level('x', 170), level('y', 170), level('z', 170)].join('/');
    expect(Buffer.byteLength(longest)).toBe(512);
    expect(await create(longest)).toEqual(['OK CREATE completed.']);
    expect(await create(`${longest}z`)).toEqual([nameTooLong]);
    expect(await create(`${level('ü', 170)}/${level('v', 170)}/${level('w', 171)}`)).toEqual([nameTooLong]);
    expect((await c.command('r', `RENAME ${wire(level('a', 255))} ${wire(`${longest}z`)}`)).map((l) => l.slice(2))).toEqual([nameTooLong]);
    expect((await c.command('r', `RENAME ${wire(level('a', 255))} ${wire(level('q', 256))}`)).map((l) => l.slice(2))).toEqual([levelTooLong]);

    const listed = (await c.command('l', 'LIST "" "*"')).slice(0, -1);
    const names = listed.map((l) => /^\* LIST \([^)]*\) "\/" (.*)$/.exec(l)![1]!.replace(/^"(.*)"$/, '$1'));
    const parents = [level('x', 170), `${level('x', 170)}/${level('y', 170)}`];
    const defaults = ['INBOX', 'Drafts', 'Junk', 'Sent', 'Trash'];
    expect(names.sort()).toEqual([...defaults, level('a', 255), encodeMailboxName(level('é', 254)), ...parents, longest].sort());
    c.close();
  });
});
