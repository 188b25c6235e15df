/**
 * Writes compiled responses to the socket with backpressure: small pieces are gathered into one
 * write, and whenever the socket's buffer is full the writer waits for 'drain' before going on.
 * Message bodies are piped chunk by chunk from their stream, one message at a time, and must
 * deliver exactly the size announced in their literal; otherwise the connection cannot continue.
 */
import type { Duplex, Readable } from 'node:stream';
import { BrokenResponseError, ConnectionClosedError } from './errors.js';
import type { Chunk } from './protocol/compiler.js';

const GATHER_BYTES = 64 * 1024;
/**
 * Pieces at least this large (message bodies) are handed to the socket as they are, in one
 * gathered write (cork/uncork: a single writev), instead of being copied into one buffer: copying
 * them cost about a quarter of the CPU of a FETCH of many small messages. Smaller pieces (response
 * text between the bodies) are still joined, which is cheap.
 */
const NO_COPY_BYTES = 2 * 1024;

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
    const pieces = this.pending.length === 1 ? this.pending : joinSmall(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.writeRaw(pieces);
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
        await this.writeRaw([buf]);
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

  private writeRaw(pieces: readonly Buffer[]): Promise<void> {
    if (this.closed || this.socket.destroyed || this.socket.writableEnded) return Promise.reject(new ConnectionClosedError());
    let ok = true;
    if (pieces.length === 1) ok = this.socket.write(pieces[0]!);
    else {
      this.socket.cork();
      // The last write's answer counts everything buffered, so it is the one that says whether to wait.
      for (const p of pieces) ok = this.socket.write(p);
      this.socket.uncork();
    }
    if (ok) {
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

/** Joins runs of small pieces; large ones stay as they are (see NO_COPY_BYTES). */
function joinSmall(pieces: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let run: Buffer[] = [];
  let runBytes = 0;
  const endRun = () => {
    if (run.length > 0) out.push(run.length === 1 ? run[0]! : Buffer.concat(run, runBytes));
    run = [];
    runBytes = 0;
  };
  for (const p of pieces) {
    if (p.length >= NO_COPY_BYTES) {
      endRun();
      out.push(p);
    } else {
      run.push(p);
      runBytes += p.length;
    }
  }
  endRun();
  return out;
}
