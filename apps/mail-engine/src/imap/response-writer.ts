/**
 * Writes compiled responses to the socket with backpressure: small pieces are gathered into one
 * write, and whenever the socket's buffer is full the writer waits for 'drain' before going on.
 * Message bodies are piped chunk by chunk from their stream, one message at a time, and must
 * deliver exactly the size announced in their literal; otherwise the connection cannot continue.
 */
import type { Duplex, Readable } from 'node:stream';
import { BrokenResponseError, ConnectionClosedError } from './errors.js';
import type { Chunk } from './protocol/compiler.js';

const GATHER_BYTES = 16 * 1024;

export class ResponseWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;
  private drainWaitSince: number | undefined;
  /** True while a body literal is partly written: nothing else may be sent until it ends. */
  private inLiteral = false;

  constructor(
    private socket: Duplex,
    private readonly onProgress: () => void,
  ) {}

  /** Where the bytes go from now on (STARTTLS replaces the plain socket). */
  setSocket(socket: Duplex): void {
    this.socket = socket;
  }

  get midResponse(): boolean {
    return this.inLiteral;
  }

  /** Milliseconds the writer has been waiting for the client to read, or 0. */
  blockedFor(now = Date.now()): number {
    return this.drainWaitSince === undefined ? 0 : now - this.drainWaitSince;
  }

  /** Queues chunks; streams are written before returning. Call flush() to push the rest out. */
  async write(chunks: readonly Chunk[]): Promise<void> {
    for (const c of chunks) {
      if (Buffer.isBuffer(c)) {
        this.pending.push(c);
        this.pendingBytes += c.length;
        if (this.pendingBytes >= GATHER_BYTES) await this.flush();
        continue;
      }
      await this.flush();
      await this.pipe(c.open(), c.size);
    }
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.writeRaw(data);
  }

  close(): void {
    this.closed = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private async pipe(stream: Readable, size: number): Promise<void> {
    this.inLiteral = true;
    let sent = 0;
    try {
      for await (const chunk of stream) {
        const buf: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        sent += buf.length;
        if (sent > size) throw new BrokenResponseError(`Body stream is longer than its announced size ${size}`);
        await this.writeRaw(buf);
      }
    } catch (err) {
      if (err instanceof ConnectionClosedError || err instanceof BrokenResponseError) throw err;
      throw new BrokenResponseError('Body stream failed', { cause: err });
    } finally {
      stream.destroy();
    }
    if (sent !== size) throw new BrokenResponseError(`Body stream ended after ${sent} of ${size} announced bytes`);
    this.inLiteral = false;
  }

  private writeRaw(data: Buffer): Promise<void> {
    if (this.closed || this.socket.destroyed || this.socket.writableEnded) return Promise.reject(new ConnectionClosedError());
    if (this.socket.write(data)) {
      this.onProgress();
      return Promise.resolve();
    }
    this.drainWaitSince = Date.now();
    return new Promise<void>((resolve, reject) => {
      const socket = this.socket;
      const done = (err?: Error) => {
        socket.off('drain', onDrain);
        socket.off('close', onClose);
        this.drainWaitSince = undefined;
        if (err) reject(err);
        else {
          this.onProgress();
          resolve();
        }
      };
      const onDrain = () => done();
      const onClose = () => done(new ConnectionClosedError());
      socket.on('drain', onDrain);
      socket.on('close', onClose);
    });
  }
}
