/**
 * The transport under a session: STARTTLS (pipelined input dropped, capabilities change),
 * implicit TLS, COMPRESS=DEFLATE, connection limits per user and per address, the idle timeout
 * during IDLE. Memory while streaming is in imap-memory.int.spec.ts.
 */
import net from 'node:net';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { implicitTls } from '../implicit-tls.js';
import { testTls } from '../testing/test-engine-context.js';
import { createImapServer } from './server.js';
import { RawImapClient } from './testing/raw-imap-client.js';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = 'transport-password';

/** Reads CRLF lines from any duplex (TLS or inflated), for the few exchanges these tests need. */
class LineReader {
  private buf = '';
  private waiters: (() => void)[] = [];
  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async until(tag: string, timeoutMs = 5000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.buf.split('\r\n');
      const i = lines.findIndex((l) => l.startsWith(`${tag} `));
      if (i >= 0) {
        this.buf = lines.slice(i + 1).join('\r\n');
        return lines.slice(0, i + 1);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${tag}: ${JSON.stringify(this.buf.slice(-300))}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }
}

describe('IMAP transport', () => {
  let t: ImapTestServer;
  let address: string;

  beforeAll(async () => {
    t = await startImapTestServer();
    address = 'transport@imap.test';
    const mb = await t.seed(address, PASSWORD);
    await t.deliver(mb.mailboxId, Buffer.from('Subject: hi\r\n\r\nhello over the wire\r\n'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('STARTTLS: input pipelined after it is dropped, the handshake follows the OK, then LOGIN is allowed and STARTTLS is gone', async () => {
    const sib = await t.sibling({ DARWIN_PLAINTEXT_AUTH: 'never' });
    try {
      const c = await RawImapClient.connect(sib.port);
      expect((await c.next()).text).toContain('STARTTLS LOGINDISABLED');
      expect(await c.command('a', `LOGIN ${address} "${PASSWORD}"`)).toEqual(['a NO [PRIVACYREQUIRED] Plaintext authentication is disabled on this connection.']);
      expect(await c.command('b', 'AUTHENTICATE PLAIN AGFiAGM=')).toEqual(['b NO [PRIVACYREQUIRED] Plaintext authentication is disallowed on non-secure (SSL/TLS) connections.']);
      // A man in the middle appends a command after STARTTLS: it must never run.
      c.send('s STARTTLS\r\ninjected NOOP\r\n');
      expect(await c.until('s')).toEqual(['s OK Begin TLS negotiation now.']);
      c.socket.removeAllListeners('data');
      const secure = tls.connect({ socket: c.socket, ca: [(await testTls()).certPem], servername: 'mail.darwin.test' });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
      });
      const r = new LineReader(secure);
      secure.write('c CAPABILITY\r\n');
      const caps = await r.until('c');
      expect(caps[0]).toBe('* CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=LOGIN');
      expect(caps.some((l) => l.startsWith('injected'))).toBe(false);
      secure.write(`d LOGIN ${address} "${PASSWORD}"\r\n`);
      expect((await r.until('d')).at(-1)).toMatch(/^d OK \[CAPABILITY .*\] Logged in$/);
      secure.write('e STARTTLS\r\n');
      expect(await r.until('e')).toEqual(['e BAD STARTTLS is not allowed: already logged in.']);
      secure.destroy();
    } finally {
      await sib.close();
    }
  });

  it('implicit TLS (993): secure from the start, no STARTTLS offered, passwords allowed even when plaintext is not', async () => {
    const ctx = { ...t.ctx, config: { ...t.ctx.config, plaintextAuth: 'never' as const } };
    const imap = createImapServer(ctx);
    const front = implicitTls(imap, await testTls(), t.ctx.logger);
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const port = (front.address() as net.AddressInfo).port;
      const s = tls.connect({ host: '127.0.0.1', port, ca: [(await testTls()).certPem], servername: 'mail.darwin.test' });
      const r = new LineReader(s);
      const greeting = await r.until('*');
      expect(greeting[0]).toBe('* OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=LOGIN] Darwin Mail ready.');
      s.write('a STARTTLS\r\n');
      expect(await r.until('a')).toEqual(['a BAD TLS is already active.']);
      s.write(`b LOGIN ${address} "${PASSWORD}"\r\n`);
      expect((await r.until('b')).at(-1)).toMatch(/^b OK /);
      s.destroy();
    } finally {
      front.close();
      await imap.shutdown();
    }
  });

  it('COMPRESS=DEFLATE: both directions deflated after the OK; a second COMPRESS is refused', async () => {
    const c = await RawImapClient.connect(t.port);
    await c.next();
    await c.command('L', `LOGIN ${address} "${PASSWORD}"`);
    expect(await c.command('z', 'COMPRESS DEFLATE')).toEqual(['z OK DEFLATE active.']);
    c.socket.removeAllListeners('data');
    const inflate = zlib.createInflateRaw();
    const deflate = zlib.createDeflateRaw();
    c.socket.pipe(inflate);
    deflate.pipe(c.socket);
    const r = new LineReader(inflate);
    const send = (line: string) => {
      deflate.write(line);
      deflate.flush(zlib.constants.Z_SYNC_FLUSH);
    };
    send('a CAPABILITY\r\n');
    const caps = await r.until('a');
    expect(caps[0]).not.toContain('COMPRESS=DEFLATE');
    send('b COMPRESS DEFLATE\r\n');
    expect(await r.until('b')).toEqual(['b NO [COMPRESSIONACTIVE] Compression is already active.']);
    send('c SELECT INBOX\r\nd FETCH 1 BODY.PEEK[TEXT]\r\n');
    await r.until('c');
    expect(await r.until('d')).toEqual(['* 1 FETCH (BODY[TEXT] {21}', 'hello over the wire', ')', 'd OK FETCH completed.']);
    c.close();
  });

  it('limits connections per user (NO [LIMIT] at login) and per address (BYE at connect)', async () => {
    const sib = await t.sibling({}, undefined, undefined, { imapMaxConnectionsPerUser: 2, imapMaxConnectionsPerIp: 3 });
    try {
      const clients: RawImapClient[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await RawImapClient.connect(sib.port);
        await c.next();
        clients.push(c);
      }
      expect((await clients[0]!.command('a', `LOGIN ${address} "${PASSWORD}"`)).at(-1)).toMatch(/^a OK/);
      expect((await clients[1]!.command('a', `LOGIN ${address} "${PASSWORD}"`)).at(-1)).toMatch(/^a OK/);
      expect(await clients[2]!.command('a', `LOGIN ${address} "${PASSWORD}"`)).toEqual(['a NO [LIMIT] Too many connections for this user.']);
      const fourth = await RawImapClient.connect(sib.port);
      expect((await fourth.next()).text).toBe('* BYE Too many connections from your address.');
      await fourth.waitClosed();
      // A slot frees when a connection ends.
      clients[0]!.close();
      await new Promise((r) => setTimeout(r, 100));
      expect((await clients[2]!.command('b', `LOGIN ${address} "${PASSWORD}"`)).at(-1)).toMatch(/^b OK/);
      for (const c of clients) c.close();
    } finally {
      await sib.close();
    }
  });

  it('the idle timeout still applies during IDLE', async () => {
    const sib = await t.sibling({ DARWIN_IMAP_IDLE_TIMEOUT: '1s' });
    try {
      const c = await RawImapClient.connect(sib.port);
      await c.next();
      await c.command('L', `LOGIN ${address} "${PASSWORD}"`);
      await c.command('S', 'SELECT INBOX');
      c.send('i IDLE\r\n');
      expect((await c.next()).text).toBe('+ idling');
      expect((await c.next(3000)).text).toBe('* BYE Autologout; idle for too long');
      await c.waitClosed();
    } finally {
      await sib.close();
    }
  });
});
