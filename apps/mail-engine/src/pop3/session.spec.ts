import { createServer, type AddressInfo, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { loadConfig } from '@darwin/config';
import { createLogger } from '@darwin/logger';
import type { MailboxAccount, MailStore, MaildropEntry } from '@darwin/mail-store';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../../tools/test-support/poll-until.js';
import type { Authenticator } from '../auth/authenticator.js';
import { testTls } from '../testing/test-engine-context.js';
import type { EngineContext } from '../engine-context.js';
import { createRegistry } from './commands/registry.js';
import { Pop3Session } from './session.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

const CHUNK = 256 * 1024;

/**
 * The session against a fake store whose one message is produced on demand, so tests can count how
 * far the server read, and make the store fail mid-message, which a real database will not do on cue.
 */
class FakeStore {
  reads = 0;
  /** Blob streams opened (one per streamed RETR/TOP). */
  opened = 0;
  /** readBlobs calls (read-ahead), and what they answer for blob "b": nothing by default, so RETR streams. */
  bulkReads = 0;
  bulk: Buffer | undefined;
  blobDestroyed = false;
  lockReleased = false;
  seen: number[] = [];
  constructor(
    readonly size: number,
    readonly blob: (fake: FakeStore) => Readable,
  ) {}
  asStore(): MailStore {
    const message: MaildropEntry = { id: '42', uid: 7, size: this.size, blobId: 'b', seen: false };
    return {
      lockMaildrop: async () => ({ release: async () => void (this.lockReleased = true) }),
      getFolder: async () => ({ id: 'inbox' }),
      listMaildrop: async () => [message],
      readBlobs: async (ids: readonly string[], maxBytes: number) => {
        this.bulkReads += 1;
        return new Map(this.bulk && ids.includes('b') && this.bulk.length <= maxBytes ? [['b', this.bulk]] : []);
      },
      openBlob: () => {
        this.opened += 1;
        const stream = this.blob(this);
        stream.on('close', () => (this.blobDestroyed = true));
        return stream;
      },
      updateFlags: async (_f: string, uids: number[]) => {
        this.seen.push(...uids);
        return [];
      },
    } as unknown as MailStore;
  }
}

/** A header and the blank line after it, 16 octets: four "xy\r\n" lines' worth, so lines stay aligned. */
const HEADER = 'Subject: abc\r\n\r\n';

/** `count` chunks of `CHUNK` bytes, a short header then "xy" lines, made only when read. */
function lazyBlob(count: number) {
  return (fake: FakeStore) =>
    new Readable({
      highWaterMark: 1,
      read() {
        if (fake.reads === count) return void this.push(null);
        const chunk = Buffer.alloc(CHUNK, 'xy\r\n'); // 4 divides CHUNK: every chunk ends with CRLF
        if (fake.reads === 0) chunk.write(HEADER);
        fake.reads += 1;
        this.push(chunk);
      },
    });
}

const servers: Server[] = [];
afterEach(async () => {
  Pop3TestClient.destroyAll();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(fake: FakeStore): Promise<number> {
  const logger = createLogger({}, { level: 'error' });
  const ctx: EngineContext = {
    config: loadConfig({ DARWIN_PLAINTEXT_AUTH: 'always' }),
    store: fake.asStore(),
    auth: { login: async () => ({ ok: true, account: { id: 'mb', address: 'a@b.test' } as MailboxAccount }) } as unknown as Authenticator,
    logger,
    tls: await testTls(),
  };
  const registry = createRegistry();
  const server = createServer({ allowHalfOpen: true }, (socket) => void new Pop3Session(ctx, socket, registry).run());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

async function loggedIn(port: number): Promise<Pop3TestClient> {
  const c = await Pop3TestClient.greeted(port);
  await c.login('a@b.test', 'pw');
  return c;
}

describe('Pop3Session streaming', () => {
  // TOP goes through the same streaming as RETR, but through the TOP cut as well; a TOP asking for
  // more lines than the body has (26 million here) is as large as the message.
  it.each(['RETR 1', 'TOP 1 30000000'])('%s reads the message only as fast as the client takes it (backpressure), and stops when the client goes', async (command) => {
    const chunks = 400; // 100 MiB
    const fake = new FakeStore(chunks * CHUNK, lazyBlob(chunks));
    const c = await loggedIn(await serve(fake));
    c.socket.pause();
    c.send(command);
    await new Promise((r) => setTimeout(r, 1_000));
    // Socket buffers hold a few MiB at most; without backpressure all 400 chunks would be read by now.
    expect(fake.reads).toBeGreaterThan(0);
    expect(fake.reads).toBeLessThan(80);
    const readsWhilePaused = fake.reads;
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.reads).toBe(readsWhilePaused);
    c.destroy();
    await pollUntil('the blob stream and lock to be released', async () => (fake.blobDestroyed && fake.lockReleased ? true : undefined), 3_000);
    expect(fake.reads).toBeLessThan(chunks);
    expect(fake.seen).toEqual([]);
  });

  it('closes the connection without the terminating "." when the store fails mid-message', async () => {
    const fake = new FakeStore(3 * CHUNK, (f) => {
      let n = 0;
      return new Readable({
        read() {
          f.reads += 1;
          if (n++ === 0) this.push(Buffer.alloc(CHUNK, 'ab\r\n'));
          // Later, so the first chunk is surely on the wire.
          else setTimeout(() => this.destroy(new Error('database went away')), 200);
        },
      });
    });
    const c = await loggedIn(await serve(fake));
    c.send('RETR 1');
    expect(await c.readLine()).toBe(`+OK ${3 * CHUNK} octets`);
    const rest = await c.readToEnd();
    expect(rest.endsWith('\r\n.\r\n')).toBe(false);
    expect(rest).not.toContain('-ERR');
    await pollUntil('lock release', async () => (fake.lockReleased ? true : undefined), 3_000);
    expect(fake.seen).toEqual([]);
  });

  it('closes without the terminator when the stored bytes are fewer than the stored size', async () => {
    const fake = new FakeStore(100, () => Readable.from([Buffer.from('Subject: short\r\n\r\nonly this\r\n')]));
    const c = await loggedIn(await serve(fake));
    c.send('RETR 1');
    expect(await c.readLine()).toBe('+OK 100 octets');
    expect(await c.readToEnd()).toBe('Subject: short\r\n\r\nonly this\r\n');
    expect(fake.seen).toEqual([]);
  });

  it('answers "no such message" when the message vanished from the store, and goes on', async () => {
    const fake = new FakeStore(100, () => Readable.from([]));
    const c = await loggedIn(await serve(fake));
    expect(await c.command('RETR 1')).toBe('-ERR no such message');
    expect(await c.command('NOOP')).toBe('+OK');
    expect(fake.seen).toEqual([]);
  });

  it('answers [SYS/TEMP] when the store fails before the first byte, and goes on', async () => {
    const fake = new FakeStore(100, () => new Readable({ read() { this.destroy(new Error('no database')); } }));
    const c = await loggedIn(await serve(fake));
    expect(await c.command('RETR 1')).toBe('-ERR [SYS/TEMP] Temporary server failure, try again later.');
    expect(await c.command('NOOP')).toBe('+OK');
  });

  it('flags the message \\Seen after a complete RETR: written by QUIT before it answers', async () => {
    const fake = new FakeStore(2 * CHUNK, lazyBlob(2));
    const c = await loggedIn(await serve(fake));
    const { status, body } = await c.multi('RETR 1');
    expect(status).toBe(`+OK ${2 * CHUNK} octets`);
    expect(body.length).toBe(2 * CHUNK);
    expect(await c.command('QUIT')).toBe('+OK Bye');
    expect(fake.seen).toEqual([7]);
  });

  it('flags \\Seen also when the client leaves without QUIT, before the maildrop lock is released', async () => {
    const fake = new FakeStore(100, () => Readable.from([Buffer.from('a'.repeat(98) + '\r\n')]));
    const c = await loggedIn(await serve(fake));
    expect((await c.multi('RETR 1')).body.length).toBe(100);
    expect(fake.seen).toEqual([]); // batched: not yet
    c.destroy();
    await pollUntil('lock release', async () => (fake.lockReleased ? true : undefined), 3_000);
    expect(fake.seen).toEqual([7]);
  });

  it('ends the reply as soon as the stored size has arrived, without waiting for the store to say the blob has ended', async () => {
    // The store's answer to "is there more?" never comes (a slow database): the client must not wait for it.
    let sent = false;
    const fake = new FakeStore(100, () => new Readable({ read() { if (!sent) this.push(Buffer.from('a'.repeat(98) + '\r\n')); sent = true; } }));
    const c = await loggedIn(await serve(fake));
    expect((await c.multi('RETR 1')).body.length).toBe(100);
    expect(await c.command('NOOP')).toBe('+OK');
    expect(fake.blobDestroyed).toBe(true);
  });

  it('sends a one-chunk message, its status line and terminator in a single write', async () => {
    const fake = new FakeStore(20, () => Readable.from([Buffer.from('Subject: x\r\n\r\nbody\r\n')]));
    const c = await loggedIn(await serve(fake));
    const packets: string[] = [];
    c.socket.prependListener('data', (d: Buffer) => packets.push(d.toString()));
    c.send('RETR 1');
    await c.readLine();
    await c.readBody();
    expect(packets).toEqual(['+OK 20 octets\r\nSubject: x\r\n\r\nbody\r\n.\r\n']);
  });

  it('sends a read-ahead message without opening its blob, status line, bytes and terminator in one write, and flags it \\Seen', async () => {
    const fake = new FakeStore(21, () => Readable.from([]));
    fake.bulk = Buffer.from('Subject: x\r\n\r\n.body\r\n');
    const c = await loggedIn(await serve(fake));
    const packets: string[] = [];
    c.socket.prependListener('data', (d: Buffer) => packets.push(d.toString()));
    c.send('RETR 1');
    await c.readLine();
    await c.readBody();
    expect(packets).toEqual(['+OK 21 octets\r\nSubject: x\r\n\r\n..body\r\n.\r\n']);
    expect(fake.bulkReads).toBe(1);
    expect(fake.opened).toBe(0);
    expect(await c.command('QUIT')).toBe('+OK Bye');
    expect(fake.seen).toEqual([7]);
  });

  it('streams instead when the read-ahead bytes disagree with the stored size (and then refuses to end the message)', async () => {
    const fake = new FakeStore(100, () => Readable.from([Buffer.from('Subject: short\r\n\r\nonly this\r\n')]));
    fake.bulk = Buffer.from('Subject: short\r\n\r\nonly this\r\n');
    const c = await loggedIn(await serve(fake));
    c.send('RETR 1');
    expect(await c.readLine()).toBe('+OK 100 octets');
    expect(await c.readToEnd()).toBe('Subject: short\r\n\r\nonly this\r\n');
    expect(fake.opened).toBe(1);
    expect(fake.seen).toEqual([]);
  });
});
