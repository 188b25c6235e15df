import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SeededMailbox } from '@darwin/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PgMailStore } from '@darwin/mail-store';
import { pollUntil } from '../../../../tools/test-support/poll-until.js';
import { PASSWORD, startPop3Fixture, textMessage, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const run = promisify(execFile);
const CHUNK = 256 * 1024; // the store's blob chunk size

/** Lines starting with dots, a lone ".", a ".." line, and the final line a lone ".". */
const DOTS = textMessage('dots', '.leading dot\r\n..two dots\r\n.\r\nnot. a dot\r\n...\r\n.\r\n');
/** 8-bit UTF-8 in header and body. */
const UTF8 = Buffer.from('From: Jürgen <j@exämple.org>\r\nSubject: Grüße, naïve café ✓\r\n\r\nÄÖÜ äöü ß — 日本語 🎉\r\n.ünïcode after a dot\r\n');

/** More than 600 KB over three store chunks, with a "." line starting exactly on each chunk boundary
 *  and a CRLF split across one, plus long lines. */
function large(): Buffer {
  const head = Buffer.from('From: big@example.org\r\nSubject: large\r\n\r\n');
  const parts: Buffer[] = [head];
  let size = head.length;
  const add = (s: string) => {
    parts.push(Buffer.from(s));
    size += Buffer.byteLength(s);
  };
  const lineTo = (target: number) => {
    // One line of filler ending with CRLF exactly at `target`.
    add('f'.repeat(target - size - 2) + '\r\n');
  };
  lineTo(CHUNK);
  add('.dot exactly at the first chunk boundary\r\n');
  // A line whose CR is the last byte of the second chunk and its LF the first of the third.
  lineTo(2 * CHUNK + 1);
  add('.dot right after a CRLF split across chunks\r\n');
  while (size < 600_000) add(`line ${size} .with a dot inside\r\n.${'z'.repeat(70)}\r\n`);
  add('y'.repeat(20_000) + '\r\n.last line is a dot line\r\n');
  return Buffer.concat(parts);
}

/** A message whose last line has no CRLF. */
const NO_FINAL_CRLF = textMessage('unterminated', 'first\r\nlast line without end');

describe('POP3 RETR and TOP', () => {
  let fx: Pop3Fixture;
  let mb: SeededMailbox;
  const messages: Buffer[] = [Buffer.from(DOTS), UTF8, large(), Buffer.from(NO_FINAL_CRLF)];

  beforeAll(async () => {
    fx = await startPop3Fixture();
    mb = await fx.mailbox('retr@pop.test');
    for (const m of messages) await fx.deliver(mb.mailboxId, m);
  });
  afterEach(() => Pop3TestClient.destroyAll());
  afterAll(async () => {
    await fx?.close();
  });

  it('built the large message as intended', () => {
    const big = messages[2]!;
    expect(big.length).toBeGreaterThan(600_000);
    expect(big.subarray(CHUNK, CHUNK + 5).toString()).toBe('.dot ');
    expect(big[2 * CHUNK - 1]).toBe(0x0d);
    expect(big[2 * CHUNK]).toBe(0x0a);
  });

  it('sends each message byte-exact after un-stuffing, with LIST sizes equal to the octets sent', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('retr@pop.test', PASSWORD);
    for (let n = 1; n <= 3; n++) {
      const m = messages[n - 1]!;
      expect(await c.command(`LIST ${n}`)).toBe(`+OK ${n} ${m.length}`);
      const { status, body } = await c.multi(`RETR ${n}`);
      expect(status).toBe(`+OK ${m.length} octets`);
      expect(body.length).toBe(m.length);
      expect(body.equals(m), `message ${n}`).toBe(true);
    }
    expect(await c.command('NOOP')).toBe('+OK');
    await c.command('QUIT');
  });

  it('stuffs exactly the lines that start with a dot, on the wire', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('retr@pop.test', PASSWORD);
    c.send('RETR 1');
    expect(await c.readLine()).toBe(`+OK ${DOTS.length} octets`);
    const wire = (await c.readBody()).toString();
    expect(wire.split('\r\n\r\n')[1]).toBe('..leading dot\r\n...two dots\r\n..\r\nnot. a dot\r\n....\r\n..\r\n');
    await c.command('QUIT');
  });

  it('ends a message whose last line lacks CRLF with one before the terminator', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('retr@pop.test', PASSWORD);
    c.send('RETR 4');
    expect(await c.readLine()).toBe(`+OK ${Buffer.byteLength(NO_FINAL_CRLF)} octets`);
    expect((await c.readBody()).toString()).toBe(NO_FINAL_CRLF + '\r\n');
    expect(await c.command('NOOP')).toBe('+OK');
    await c.command('QUIT');
  });

  it('flags a retrieved message \\Seen in the store about a second later, without QUIT; TOP does not', async () => {
    const other = await fx.mailbox('seen@pop.test');
    await fx.deliver(other.mailboxId, DOTS);
    await fx.deliver(other.mailboxId, UTF8);
    const inbox = (await fx.store.getFolder(other.mailboxId, 'INBOX'))!;
    const seen = async () => (await fx.store.listMessages(inbox.id)).map((m) => m.flags.includes('\\Seen'));
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('seen@pop.test', PASSWORD);
    const retrieved = Date.now();
    await c.multi('TOP 1 1');
    await c.multi('RETR 2');
    await pollUntil('\\Seen on message 2', async () => ((await seen())[1] ? true : undefined), 3_000);
    expect(Date.now() - retrieved).toBeLessThan(2_500);
    expect(await seen()).toEqual([false, true]);
    // The session goes on as usual.
    expect(await c.command('NOOP')).toBe('+OK');
    await c.command('QUIT');
  });

  it('has \\Seen written by the time QUIT answers, and for messages deleted later too nothing breaks', async () => {
    const other = await fx.mailbox('seen-quit@pop.test');
    for (const m of [DOTS, UTF8, NO_FINAL_CRLF]) await fx.deliver(other.mailboxId, m);
    const inbox = (await fx.store.getFolder(other.mailboxId, 'INBOX'))!;
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('seen-quit@pop.test', PASSWORD);
    c.sendRaw('RETR 1\r\nRETR 2\r\nDELE 2\r\nQUIT\r\n');
    await c.readLine();
    await c.readBody();
    await c.readLine();
    await c.readBody();
    expect(await c.readLine()).toBe('+OK message 2 deleted');
    expect(await c.readLine()).toBe('+OK Bye');
    expect((await fx.store.listMessages(inbox.id)).map((m) => m.flags.includes('\\Seen'))).toEqual([true, false]);
  });

  it('writes \\Seen only for messages that did not have it at login', async () => {
    const other = await fx.mailbox('seen-once@pop.test');
    for (const m of [DOTS, UTF8, NO_FINAL_CRLF]) await fx.deliver(other.mailboxId, m);
    const inbox = (await fx.store.getFolder(other.mailboxId, 'INBOX'))!;
    const uids = (await fx.store.listMessages(inbox.id)).map((m) => m.uid);
    const written: number[][] = [];
    const store = Object.assign(Object.create(fx.store) as PgMailStore, {
      updateFlags: (...args: Parameters<PgMailStore['updateFlags']>) => {
        written.push([...args[1]]);
        return fx.store.updateFlags(...args);
      },
    });
    const l = await fx.listen({}, { store });
    const c = await Pop3TestClient.greeted(l.port);
    await c.login('seen-once@pop.test', PASSWORD);
    await c.multi('RETR 1');
    await c.multi('RETR 1');
    await c.multi('RETR 2');
    expect(await c.command('QUIT')).toBe('+OK Bye');
    expect(written).toEqual([[uids[0], uids[1]]]);
    // The next session (a client that leaves mail on the server) downloads everything again.
    const d = await Pop3TestClient.greeted(l.port);
    await d.login('seen-once@pop.test', PASSWORD);
    for (const n of [1, 2, 3]) await d.multi(`RETR ${n}`);
    expect(await d.command('QUIT')).toBe('+OK Bye');
    expect(written).toEqual([[uids[0], uids[1]], [uids[2]]]);
    expect((await fx.store.listMessages(inbox.id)).map((m) => m.flags.includes('\\Seen'))).toEqual([true, true, true]);
    await l.stop();
  });

  it('TOP sends the header, the blank line and n body lines, stuffed', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('retr@pop.test', PASSWORD);
    const header = DOTS.slice(0, DOTS.indexOf('\r\n\r\n') + 4);
    expect(await c.multi('TOP 1 0')).toEqual({ status: '+OK top of message follows', body: Buffer.from(header) });
    expect((await c.multi('TOP 1 2')).body.toString()).toBe(header + '.leading dot\r\n..two dots\r\n');
    expect((await c.multi('TOP 1 1000')).body.toString()).toBe(DOTS);
    const big = messages[2]!;
    expect((await c.multi('TOP 3 1')).body.toString()).toBe(big.subarray(0, big.indexOf('\r\n\r\n') + 4 + CHUNK - 41).toString());
    expect(await c.command('TOP 1')).toBe('-ERR TOP requires a message number and a number of lines.');
    expect(await c.command('TOP 9 1')).toBe('-ERR no such message');
    expect(await c.command('QUIT')).toBe('+OK Bye');
  });

  /**
   * A store on the fixture's database as another engine process has it (nothing in its blob cache:
   * every read below is a query), with its blob reads counted: each openBlob is one query per
   * chunk read (one for a small message), each readBlobs one query. The rest is PgMailStore as is.
   */
  function countingStore() {
    const real = new PgMailStore({ url: fx.db.url, poolSize: 4, blobCacheBytes: 0 });
    const counts = { streamed: 0, bulk: [] as number[] };
    const store = Object.assign(Object.create(real) as PgMailStore, {
      openBlob: (...args: Parameters<PgMailStore['openBlob']>) => {
        counts.streamed += 1;
        return real.openBlob(...args);
      },
      readBlobs: (ids: readonly string[], maxBytes: number) => {
        counts.bulk.push(ids.length);
        return real.readBlobs(ids, maxBytes);
      },
    });
    return { store, counts, close: () => real.close() };
  }

  it('serves an in-order download from read-ahead (MailStore.readBlobs): same bytes, a few bulk reads instead of a query per message', async () => {
    const ra = await fx.mailbox('readahead@pop.test');
    const many = Array.from({ length: 30 }, (_, i) => Buffer.from(textMessage(`ra${i}`, `.dot ${i}\r\nbody ${'x'.repeat(i * 50)}\r\n`)));
    const expected = [...many.slice(0, 10), messages[2]!, ...many.slice(10)];
    for (const m of expected) await fx.deliver(ra.mailboxId, m);
    const { store, counts, close } = countingStore();
    const l = await fx.listen({}, { store });
    const c = await Pop3TestClient.greeted(l.port);
    await c.login('readahead@pop.test', PASSWORD);
    expect(await c.command('DELE 3')).toBe('+OK message 3 deleted');
    for (let n = 1; n <= expected.length; n++) {
      if (n === 3) continue;
      const { status, body } = await c.multi(`RETR ${n}`);
      expect(status).toBe(`+OK ${expected[n - 1]!.length} octets`);
      expect(body.equals(expected[n - 1]!), `message ${n}`).toBe(true);
    }
    expect(await c.command('QUIT')).toBe('+OK Bye');
    // 29 small messages in a few bulk reads; only the 600 KB one (message 11) streamed, and
    // message 3 (deleted) was read neither way.
    expect(counts.streamed).toBe(1);
    expect(counts.bulk.reduce((a, b) => a + b, 0)).toBe(29);
    expect(counts.bulk.length).toBeLessThanOrEqual(5);
    await l.stop();
    await close();
  });

  it('streams what read-ahead cannot bring: a message expunged over IMAP after login is "no such message", the rest byte-exact', async () => {
    const mb2 = await fx.mailbox('readahead-gone@pop.test');
    const four = Array.from({ length: 4 }, (_, i) => Buffer.from(textMessage(`gone${i}`, `body ${i}\r\n`)));
    for (const m of four) await fx.deliver(mb2.mailboxId, m);
    const inbox = (await fx.store.getFolder(mb2.mailboxId, 'INBOX'))!;
    const { store, counts, close } = countingStore();
    const l = await fx.listen({}, { store });
    const c = await Pop3TestClient.greeted(l.port);
    await c.login('readahead-gone@pop.test', PASSWORD);
    // Another client (IMAP) removes message 2 while the POP3 session has it numbered.
    const uids = (await fx.store.listMessages(inbox.id)).map((m) => m.uid);
    expect(await fx.store.expunge(inbox.id, { uids: [uids[1]!], onlyDeleted: false })).toEqual([uids[1]]);
    expect((await c.multi('RETR 1')).body.equals(four[0]!)).toBe(true);
    expect(await c.command('RETR 2')).toBe('-ERR no such message');
    expect((await c.multi('RETR 3')).body.equals(four[2]!)).toBe(true);
    expect((await c.multi('RETR 4')).body.equals(four[3]!)).toBe(true);
    expect(await c.command('QUIT')).toBe('+OK Bye');
    // 1..4 in the first bulk read, which left 2 out; only message 2 was then streamed (and found gone).
    expect(counts.bulk[0]).toBe(4);
    expect(counts.streamed).toBe(1);
    await l.stop();
    await close();
  });

  it('curl retrieves message 1 byte-exact and lists the maildrop', async () => {
    const url = `pop3://127.0.0.1:${fx.port}`;
    const one = await run('curl', ['-s', '--max-time', '20', `${url}/1`, '-u', `retr@pop.test:${PASSWORD}`], { encoding: 'buffer' });
    expect(one.stdout.equals(messages[0]!)).toBe(true);
    const big = await run('curl', ['-s', '--max-time', '20', `${url}/3`, '-u', `retr@pop.test:${PASSWORD}`], { encoding: 'buffer', maxBuffer: 10_000_000 });
    expect(big.stdout.equals(messages[2]!)).toBe(true);
    const list = await run('curl', ['-s', '--max-time', '20', `${url}/`, '-u', `retr@pop.test:${PASSWORD}`]);
    expect(list.stdout).toBe(messages.map((m, i) => `${i + 1} ${m.length}\r\n`).join(''));
  });

  it('curl reports a wrong password as a login failure', async () => {
    const r = await run('curl', ['-s', '-S', '--max-time', '20', `pop3://127.0.0.1:${fx.port}/1`, '-u', 'retr@pop.test:wrong']).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 67 }); // CURLE_LOGIN_DENIED
  });

  it('Python poplib lists, retrieves and deletes', async () => {
    const py = await fx.mailbox('python@pop.test');
    await fx.deliver(py.mailboxId, DOTS);
    await fx.deliver(py.mailboxId, UTF8);
    await fx.deliver(py.mailboxId, textMessage('third', 'bye\r\n'));
    const inbox = (await fx.store.getFolder(py.mailboxId, 'INBOX'))!;
    const before = await fx.store.listMessages(inbox.id);
    const script = `
import poplib, json, sys, base64
p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=20)
out = {'welcome': p.getwelcome().decode()}
p.user(sys.argv[2]); out['pass'] = p.pass_(sys.argv[3]).decode()
out['stat'] = list(p.stat())
resp, listing, _ = p.list(); out['list'] = [l.decode() for l in listing]
resp, uidl, _ = p.uidl(); out['uidl'] = [l.decode() for l in uidl]
out['retr'] = []
for n in (1, 2):
    resp, lines, octets = p.retr(n)
    out['retr'].append(base64.b64encode(b'\\r\\n'.join(lines) + b'\\r\\n').decode())
out['dele'] = p.dele(1).decode()
out['quit'] = p.quit().decode()
print(json.dumps(out))
`;
    const r = await run('python3', ['-c', script, String(fx.port), 'python@pop.test', PASSWORD]);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    const sizes = [Buffer.byteLength(DOTS), UTF8.length, Buffer.byteLength(textMessage('third', 'bye\r\n'))];
    expect(out).toEqual({
      welcome: '+OK Darwin Mail POP3 ready.',
      pass: '+OK Logged in.',
      stat: [3, sizes[0]! + sizes[1]! + sizes[2]!],
      list: sizes.map((s, i) => `${i + 1} ${s}`),
      uidl: before.map((m, i) => `${i + 1} ${m.id}`),
      retr: [Buffer.from(DOTS).toString('base64'), UTF8.toString('base64')],
      dele: '+OK message 1 deleted',
      quit: '+OK Bye',
    });
    expect((await fx.store.listMessages(inbox.id)).map((m) => m.id)).toEqual([before[1]!.id, before[2]!.id]);
  });
});
