/**
 * Memory of the IMAP server while it streams: ten sessions fetching a 50 MB message, and a large
 * APPEND. The server runs in its own process (testing/imap-server-process.ts) so that only its
 * memory is measured, as V8 heap plus the Buffers outside it (heapUsed + arrayBuffers): a body
 * held in Buffers does not show in heapUsed alone. Each bound is checked against the same process
 * with the store wrapped to buffer whole bodies, which must exceed it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Spool } from '@darwin/mail-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapTestServer, type ImapTestServer } from './testing/start-imap-test-server.js';

const PASSWORD = 'memory-password';
const MB = 1024 * 1024;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The IMAP server process, and the memory it reports. */
class ServerProcess {
  private readonly replies: string[] = [];
  private waiter?: () => void;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      this.replies.push(l);
      this.waiter?.();
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  /** `live`: count only memory still referenced (see imap-server-process.ts). */
  static async start(databaseUrl: string, opts: { bufferBodies: boolean; live: boolean }): Promise<{ proc: ServerProcess; port: number }> {
    const env = { ...process.env, DATABASE_URL: databaseUrl, IMAP_BUFFER_BODIES: opts.bufferBodies ? '1' : '0', IMAP_MEMORY: opts.live ? 'live' : 'peak' };
    const child = spawn(process.execPath, ['--expose-gc', '--import', here('../outbound/testing/ts-register.mjs'), here('./testing/imap-server-process.ts')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const proc = new ServerProcess(child);
    const { port } = (await proc.reply(30_000)) as { port: number };
    return { proc, port };
  }

  /** Starts measuring (after a garbage collection). */
  async mark(): Promise<void> {
    this.child.stdin!.write('mark\n');
    await this.reply();
  }

  /** Highest heapUsed + arrayBuffers since the mark, over its value at the mark. */
  async growth(): Promise<number> {
    this.child.stdin!.write('peak\n');
    return ((await this.reply()) as { growth: number }).growth;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async reply(timeoutMs = 10_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`IMAP server process: no reply; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 50);
        this.waiter = () => {
          clearTimeout(timer);
          r();
        };
      });
    }
    return JSON.parse(this.replies.shift()!);
  }
}

/**
 * Logs in and runs `commands` on a raw socket until `done` matches the end of the input, counting
 * the bytes received and keeping none. `literal` is sent at the server's "+"; with `stopAfter` the
 * client hangs up once that many bytes have arrived.
 */
function session(port: number, address: string, commands: string, done: RegExp, opts: { literal?: Buffer; stopAfter?: number } = {}): Promise<{ total: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let total = 0;
    let tail = '';
    s.on('error', reject);
    s.on('data', (d: Buffer) => {
      total += d.length;
      tail = (tail + d.subarray(Math.max(0, d.length - 200)).toString('latin1')).slice(-200);
      if (opts.literal && tail.endsWith('+ Ready for literal data\r\n')) {
        s.write(opts.literal);
        s.write('\r\n');
      }
      if (done.test(tail) || total >= (opts.stopAfter ?? Infinity)) {
        s.destroy();
        resolve({ total, tail });
      }
    });
    s.write(`l LOGIN ${address} "${PASSWORD}"\r\n${commands}`);
  });
}

describe('IMAP server memory while streaming (server in its own process)', () => {
  let t: ImapTestServer;
  const procs: ServerProcess[] = [];

  async function serverProcess(bufferBodies: boolean, live = false): Promise<{ proc: ServerProcess; port: number }> {
    const s = await ServerProcess.start(t.db.url, { bufferBodies, live });
    procs.push(s.proc);
    return s;
  }

  beforeAll(async () => {
    t = await startImapTestServer();
  });
  afterAll(async () => {
    for (const p of procs) await p.stop();
    await t?.close();
  });

  it('ten sessions fetching a 50 MB message grow the server by under 100 MB; buffering each body would not', async () => {
    const mb = await t.seed('big@imap.test', PASSWORD);
    const size = 50 * MB;
    const spool = new Spool({ maxBytes: size + 1024, memoryBytes: MB });
    await spool.write(Buffer.from('Subject: fifty\r\n\r\n'));
    const line = Buffer.alloc(MB, 'x'.repeat(78) + '\r\n');
    for (let i = 0; i < 50; i++) await spool.write(line);
    const spooled = await spool.finish();
    const [out] = await t.store.deliver(spooled, [{ mailboxId: mb.mailboxId }]);
    await spooled.dispose();
    expect(out?.status).toBe('stored');

    /** Ten sessions at once; `stopAfter`: each hangs up once the body has begun to arrive. */
    const fetchTen = (port: number, stopAfter?: number) =>
      Promise.all(Array.from({ length: 10 }, () => session(port, 'big@imap.test', 's SELECT INBOX\r\nf FETCH 1 BODY.PEEK[]\r\n', /\r\nf OK FETCH completed\.\r\n$/, { stopAfter })));
    const streaming = await serverProcess(false);
    await streaming.proc.mark();
    for (const r of await fetchTen(streaming.port)) expect(r.total).toBeGreaterThan(size);
    const grew = await streaming.proc.growth();
    expect(grew).toBeLessThan(100 * MB);

    // A server that reads the body whole before sending it holds it by its first byte.
    const buffering = await serverProcess(true);
    await buffering.proc.mark();
    await fetchTen(buffering.port, 2 * MB);
    const buffered = await buffering.proc.growth();
    expect(buffered).toBeGreaterThan(100 * MB);
    console.log(`FETCH 10 x 50 MB: streaming +${(grew / MB).toFixed(1)} MB, buffering +${(buffered / MB).toFixed(1)} MB`);
  }, 180_000);

  it('APPEND of a 40 MB literal grows the server by under half its size; buffering the literal would not', async () => {
    await t.seed('append@imap.test', PASSWORD);
    const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(40 * MB, 'abcdefghij\r\n')]);
    const append = async (port: number) => {
      const r = await session(port, 'append@imap.test', `a APPEND INBOX {${big.length}}\r\n`, /\r\na (OK|NO|BAD)[^\r\n]*\r\n$/, { literal: big });
      expect(r.tail).toMatch(/\r\na OK \[APPENDUID \d+ \d+\] APPEND completed\.\r\n$/);
    };
    // Live memory: the spent chunks of a streamed literal are garbage, not a copy of it. Measured:
    // about 13 MB here and 4 MB for an 8 MB literal, so something still grows with the literal
    // (not yet found); a held copy is 40 MB or more.
    const streaming = await serverProcess(false, true);
    await streaming.proc.mark();
    await append(streaming.port);
    const grew = await streaming.proc.growth();
    expect(grew).toBeLessThan(20 * MB);

    const buffering = await serverProcess(true, true);
    await buffering.proc.mark();
    await append(buffering.port);
    const buffered = await buffering.proc.growth();
    expect(buffered).toBeGreaterThan(40 * MB);
    console.log(`APPEND 40 MB: streaming +${(grew / MB).toFixed(1)} MB, buffering +${(buffered / MB).toFixed(1)} MB`);
  }, 120_000);
});
