import type { SeededMailbox } from '@darwin/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startPop3Fixture, textMessage, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const M1 = textMessage('one', 'first body\r\n');
const M2 = textMessage('two', 'second body, a little longer\r\n');
const M3 = textMessage('three', 'third\r\nbody\r\n');

describe('POP3 commands (RFC 1939 transcripts)', () => {
  let fx: Pop3Fixture;
  let mb: SeededMailbox;
  let ids: string[];

  beforeAll(async () => {
    fx = await startPop3Fixture();
    mb = await fx.mailbox('reader@pop.test');
    for (const m of [M1, M2, M3]) await fx.deliver(mb.mailboxId, m);
    const inbox = (await fx.store.getFolder(mb.mailboxId, 'INBOX'))!;
    ids = (await fx.store.listMessages(inbox.id)).map((m) => m.id);
  });
  afterEach(() => Pop3TestClient.destroyAll());
  afterAll(async () => {
    await fx?.close();
  });

  it('greets, and QUIT in AUTHORIZATION says goodbye and closes', async () => {
    const c = await Pop3TestClient.connect(fx.port);
    expect(await c.readLine()).toBe('+OK Darwin Mail POP3 ready.');
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
  });

  it('refuses every transaction command before login, with a sentence', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    for (const cmd of ['STAT', 'LIST', 'LIST 1', 'UIDL', 'RETR 1', 'TOP 1 0', 'DELE 1', 'RSET', 'NOOP']) {
      expect(await c.command(cmd), cmd).toBe('-ERR Not logged in: send USER and PASS first.');
    }
    expect(await c.command('QUIT')).toBe('+OK Bye');
  });

  it('answers unknown commands and bad arguments with -ERR and keeps going', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('HELO there')).toBe('-ERR Unknown command.');
    expect(await c.command('')).toBe('-ERR Empty command.');
    expect(await c.command('USER')).toBe('-ERR USER requires a user name.');
    expect(await c.command('USER  ')).toBe('-ERR USER requires a user name.');
    expect(await c.command('CAPA now')).toBe('-ERR This command takes no arguments.');
    expect(await c.command('QUIT')).toBe('+OK Bye');
  });

  it('needs USER before PASS, and a new USER after a failed PASS', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR No user name given: send USER first.');
    expect(await c.command('USER reader@pop.test')).toBe('+OK');
    expect(await c.command('PASS wrong password')).toBe('-ERR [AUTH] Authentication failed.');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR No user name given: send USER first.');
    expect(await c.command('USER nobody@pop.test')).toBe('+OK');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('-ERR [AUTH] Authentication failed.');
    expect(await c.command('STAT')).toBe('-ERR Not logged in: send USER and PASS first.');
    expect(await c.command('USER READER@Pop.Test')).toBe('+OK');
    expect(await c.command(`PASS ${PASSWORD}`)).toBe('+OK Logged in.');
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
  });

  it('hangs up after 5 failed logins on one connection', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    for (let i = 0; i < 5; i++) {
      expect(await c.command('USER reader@pop.test')).toBe('+OK');
      expect(await c.command('PASS nope')).toBe('-ERR [AUTH] Authentication failed.');
    }
    await c.expectClosed();
  });

  it('runs STAT, LIST, UIDL, NOOP with exact replies, and refuses USER/PASS after login', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('reader@pop.test', PASSWORD);
    const [s1, s2, s3] = [M1, M2, M3].map((m) => Buffer.byteLength(m));
    expect(await c.command('STAT')).toBe(`+OK 3 ${s1! + s2! + s3!}`);
    expect(await c.lines('LIST')).toEqual({ status: `+OK 3 messages (${s1! + s2! + s3!} octets)`, lines: [`1 ${s1}`, `2 ${s2}`, `3 ${s3}`] });
    expect(await c.command('LIST 2')).toBe(`+OK 2 ${s2}`);
    expect(await c.command('LIST 4')).toBe('-ERR no such message');
    expect(await c.command('LIST 0')).toBe('-ERR no such message');
    expect(await c.command('LIST x')).toBe('-ERR Invalid message number.');
    expect(await c.command('LIST 1 2')).toBe('-ERR Too many arguments.');
    expect(await c.lines('UIDL')).toEqual({ status: '+OK', lines: [`1 ${ids[0]}`, `2 ${ids[1]}`, `3 ${ids[2]}`] });
    expect(await c.command('UIDL 3')).toBe(`+OK 3 ${ids[2]}`);
    expect(await c.command('UIDL 9')).toBe('-ERR no such message');
    expect(await c.command('noop')).toBe('+OK');
    expect(await c.command('USER reader@pop.test')).toBe('-ERR Not allowed after login.');
    expect(await c.command('PASS x')).toBe('-ERR Not allowed after login.');
    expect(await c.command('RETR')).toBe('-ERR Message number required.');
    expect(await c.command('DELE one')).toBe('-ERR Invalid message number.');
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
  });

  it('uses unique-ids that are the store ids: distinct, printable, stable across sessions', async () => {
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9]{1,70}$/);
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('reader@pop.test', PASSWORD);
    expect((await c.lines('UIDL')).lines).toEqual([`1 ${ids[0]}`, `2 ${ids[1]}`, `3 ${ids[2]}`]);
    await c.command('QUIT');
  });

  it('keeps numbers fixed after DELE: deleted numbers are "no such message" everywhere; RSET restores', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('reader@pop.test', PASSWORD);
    const [s1, s2, s3] = [M1, M2, M3].map((m) => Buffer.byteLength(m));
    expect(await c.command('DELE 2')).toBe('+OK message 2 deleted');
    expect(await c.command('DELE 2')).toBe('-ERR no such message');
    expect(await c.command('DELE 7')).toBe('-ERR no such message');
    expect(await c.command('STAT')).toBe(`+OK 2 ${s1! + s3!}`);
    expect(await c.lines('LIST')).toEqual({ status: `+OK 2 messages (${s1! + s3!} octets)`, lines: [`1 ${s1}`, `3 ${s3}`] });
    expect(await c.lines('UIDL')).toEqual({ status: '+OK', lines: [`1 ${ids[0]}`, `3 ${ids[2]}`] });
    expect(await c.command('LIST 2')).toBe('-ERR no such message');
    expect(await c.command('UIDL 2')).toBe('-ERR no such message');
    expect(await c.command('RETR 2')).toBe('-ERR no such message');
    expect(await c.command('TOP 2 0')).toBe('-ERR no such message');
    expect(await c.command('LIST 3')).toBe(`+OK 3 ${s3}`);
    expect((await c.multi('RETR 3')).body.toString()).toBe(M3);
    expect(await c.command('RSET')).toBe(`+OK maildrop has 3 messages (${s1! + s2! + s3!} octets)`);
    expect(await c.command('LIST 2')).toBe(`+OK 2 ${s2}`);
    expect(await c.command('QUIT')).toBe('+OK Bye');
    await c.expectClosed();
    // RSET undid the mark, so QUIT removed nothing.
    const inbox = (await fx.store.getFolder(mb.mailboxId, 'INBOX'))!;
    expect(await fx.store.listMessages(inbox.id)).toHaveLength(3);
  });

  it('lists exactly the implemented capabilities; after login the same without STLS', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    const session = ['RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING', 'IMPLEMENTATION Darwin-Mail'];
    expect(await c.lines('CAPA')).toEqual({
      status: '+OK Capability list follows',
      lines: ['TOP', 'UIDL', 'USER', 'SASL PLAIN LOGIN', 'STLS', ...session],
    });
    await c.login('reader@pop.test', PASSWORD);
    expect(await c.lines('CAPA')).toEqual({ status: '+OK Capability list follows', lines: ['TOP', 'UIDL', 'USER', 'SASL PLAIN LOGIN', ...session] });
    expect(await c.command('STLS')).toBe('-ERR Not allowed after login.');
    await c.command('QUIT');
  });

  it('shows an empty maildrop as empty', async () => {
    await fx.mailbox('empty@pop.test');
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('empty@pop.test', PASSWORD);
    expect(await c.command('STAT')).toBe('+OK 0 0');
    expect(await c.lines('LIST')).toEqual({ status: '+OK 0 messages (0 octets)', lines: [] });
    expect(await c.lines('UIDL')).toEqual({ status: '+OK', lines: [] });
    expect(await c.command('RETR 1')).toBe('-ERR no such message');
    expect(await c.command('QUIT')).toBe('+OK Bye');
  });

  it('does not show mail that arrives after login until the next session', async () => {
    const late = await fx.mailbox('late@pop.test');
    await fx.deliver(late.mailboxId, M1);
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login('late@pop.test', PASSWORD);
    await fx.deliver(late.mailboxId, M2);
    expect(await c.command('STAT')).toBe(`+OK 1 ${Buffer.byteLength(M1)}`);
    expect(await c.command('LIST 2')).toBe('-ERR no such message');
    await c.command('QUIT');
    const d = await Pop3TestClient.greeted(fx.port);
    await d.login('late@pop.test', PASSWORD);
    expect(await d.command('STAT')).toBe(`+OK 2 ${Buffer.byteLength(M1) + Buffer.byteLength(M2)}`);
    await d.command('QUIT');
  });

  it('handles pipelined commands sent in one packet strictly in order', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    c.sendRaw(`USER reader@pop.test\r\nPASS ${PASSWORD}\r\nSTAT\r\nLIST 1\r\nRETR 1\r\nUIDL 1\r\nBOGUS\r\nDELE 1\r\nRSET\r\nQUIT\r\n`);
    expect(await c.readLine()).toBe('+OK');
    expect(await c.readLine()).toBe('+OK Logged in.');
    expect(await c.readLine()).toMatch(/^\+OK 3 \d+$/);
    expect(await c.readLine()).toBe(`+OK 1 ${Buffer.byteLength(M1)}`);
    expect(await c.readLine()).toBe(`+OK ${Buffer.byteLength(M1)} octets`);
    expect((await c.readBody()).toString()).toBe(M1);
    expect(await c.readLine()).toBe(`+OK 1 ${ids[0]}`);
    expect(await c.readLine()).toBe('-ERR Unknown command.');
    expect(await c.readLine()).toBe('+OK message 1 deleted');
    expect(await c.readLine()).toMatch(/^\+OK maildrop has 3 messages/);
    expect(await c.readLine()).toBe('+OK Bye');
    expect(await c.readToEnd()).toBe('');
  });

  it('answers commands sent just before the client shuts its sending side', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    c.socket.end(`USER reader@pop.test\r\nPASS ${PASSWORD}\r\nSTAT\r\n`);
    expect(await c.readLine()).toBe('+OK');
    expect(await c.readLine()).toBe('+OK Logged in.');
    expect(await c.readLine()).toMatch(/^\+OK 3 \d+$/);
    await c.expectClosed();
  });

  it('answers a line over 255 octets with -ERR and goes on; a 255-octet line is fine', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    expect(await c.command('NOOP ' + 'x'.repeat(300))).toBe('-ERR Line too long (more than 255 octets).');
    expect(await c.command('USER ' + 'a'.repeat(248))).toBe('+OK'); // 5 + 248 + CRLF = 255
    expect(await c.command('USER ' + 'a'.repeat(249))).toBe('-ERR Line too long (more than 255 octets).');
    expect(await c.command('QUIT')).toBe('+OK Bye');
  });

  it('closes after 20 bad commands in a row', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    c.sendRaw('XXXX\r\n'.repeat(25));
    for (let i = 0; i < 19; i++) expect(await c.readLine()).toBe('-ERR Unknown command.');
    expect(await c.readLine()).toBe('-ERR Too many bad commands, closing connection.');
    expect(await c.readToEnd()).toBe('');
  });

  it('closes at once when spoken to in HTTP', async () => {
    const c = await Pop3TestClient.greeted(fx.port);
    c.sendRaw('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await c.readLine()).toBe('-ERR This is a POP3 server.');
    expect(await c.readToEnd()).toBe('');
  });
});
