import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MimeStructureParser } from './mime/parser.js';
import type { SpooledMessage } from './types.js';

export interface SpoolOptions {
  /** Bytes kept in memory before the spool moves to a temporary file. */
  readonly memoryBytes?: number;
  /** Bytes accepted; beyond it the message is marked oversize and the rest is discarded. */
  readonly maxBytes: number;
  readonly dir?: string;
}

/** Header blocks larger than this are cut for the summary fields (the stored bytes stay whole). */
const MAX_HEADER_BYTES = 256 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

/**
 * Collects an incoming message as it arrives (SMTP DATA, IMAP APPEND): counts it, keeps the header
 * block for summaries, and holds the bytes in memory or a temporary file, so neither a slow client
 * nor a large message keeps a database transaction open. A message that goes to a file is hashed
 * as it is written; one held in memory only when its hash is asked for (SMTP stores a rewritten
 * copy, whose hash is another).
 */
export class Spool {
  private readonly memoryBytes: number;
  /** From the move to a file on. */
  private hash?: Hash;
  private mem: Buffer[] = [];
  private memSize = 0;
  private file?: FileHandle;
  private path?: string;
  private size = 0;
  private oversize = false;
  private header: Buffer[] = [];
  private headerSize = 0;
  private headerDone = false;
  private pending: Promise<void> = Promise.resolve();
  private failed?: Error;
  /**
   * Learns the MIME structure as the bytes go by, so delivery never re-reads the message for it.
   * Not the body text: that waits for the first body search of the folder (pg/body-text.ts).
   */
  private readonly mime = new MimeStructureParser({ maxBodyText: 0 });

  constructor(private readonly opts: SpoolOptions) {
    this.memoryBytes = opts.memoryBytes ?? 1024 * 1024;
  }

  /** Appends bytes. Resolves when they are safely buffered (await it to apply backpressure). */
  write(chunk: Buffer): Promise<void> {
    if (this.oversize) return this.pending;
    if (this.size + chunk.length > this.opts.maxBytes) {
      this.oversize = true;
      return this.pending;
    }
    this.size += chunk.length;
    this.captureHeader(chunk);
    this.mime.push(chunk);
    this.pending = this.pending.then(() => this.store(chunk)).catch((err: Error) => {
      this.failed ??= err;
    });
    return this.pending;
  }

  private captureHeader(chunk: Buffer): void {
    if (this.headerDone) return;
    this.header.push(chunk);
    this.headerSize += chunk.length;
    const joined = Buffer.concat(this.header);
    let end = joined.indexOf(CRLFCRLF);
    if (end >= 0) end += 2;
    else {
      end = joined.indexOf(LFLF);
      if (end >= 0) end += 1;
    }
    if (end >= 0 || this.headerSize >= MAX_HEADER_BYTES) {
      const cut = end >= 0 ? end : MAX_HEADER_BYTES;
      this.header = [joined.subarray(0, Math.min(cut, MAX_HEADER_BYTES))];
      this.headerDone = true;
    } else {
      this.header = [joined];
    }
  }

  private async store(chunk: Buffer): Promise<void> {
    if (!this.file && this.memSize + chunk.length <= this.memoryBytes) {
      this.mem.push(chunk);
      this.memSize += chunk.length;
      return;
    }
    if (!this.file) {
      this.path = join(this.opts.dir ?? tmpdir(), `darwin-spool-${process.pid}-${randomBytes(8).toString('hex')}`);
      this.file = await open(this.path, 'wx', 0o600);
      this.hash = createHash('sha256');
      for (const b of this.mem) {
        this.hash.update(b);
        await this.file.write(b);
      }
      this.mem = [];
    }
    this.hash!.update(chunk);
    await this.file.write(chunk);
  }

  /** Finishes the spool. Throws if writing to the temporary file failed. */
  async finish(): Promise<SpooledMessage> {
    await this.pending;
    if (this.file) await this.file.close();
    if (this.failed) {
      await this.discard();
      throw this.failed;
    }
    const path = this.path;
    const common = {
      size: this.size,
      headerBytes: Buffer.concat(this.header),
      oversize: this.oversize,
      mime: this.oversize ? undefined : this.mime.end(),
    };
    if (path) {
      return {
        ...common,
        sha256: this.hash!.digest(),
        chunks: (chunkSize: number) => fileChunks(path, chunkSize),
        dispose: () => rm(path, { force: true }),
      };
    }
    return inMemory(common, this.mem.length === 1 ? this.mem[0]! : Buffer.concat(this.mem));
  }

  /** Drops whatever was written (client aborted). */
  async discard(): Promise<void> {
    await this.pending;
    await this.file?.close().catch(() => {});
    if (this.path) await rm(this.path, { force: true });
    this.mem = [];
  }
}

/**
 * A spooled message held in memory as one Buffer: its chunks are views of it, and its hash is
 * computed when first asked for. Also what SMTP builds when it puts its headers in front.
 */
export function inMemory(
  fields: Omit<SpooledMessage, 'sha256' | 'chunks' | 'dispose' | 'memory'>,
  bytes: Buffer,
  dispose: () => Promise<void> = async () => {},
): SpooledMessage {
  let digest: Buffer | undefined;
  return {
    ...fields,
    get sha256() {
      return (digest ??= createHash('sha256').update(bytes).digest());
    },
    memory: () => bytes,
    chunks: (chunkSize: number) => memoryChunks(bytes, chunkSize),
    dispose,
  };
}

async function* memoryChunks(all: Buffer, chunkSize: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < all.length; i += chunkSize) yield all.subarray(i, i + chunkSize);
}

async function* fileChunks(path: string, chunkSize: number): AsyncGenerator<Buffer> {
  let carry: Buffer[] = [];
  let carried = 0;
  for await (const piece of createReadStream(path, { highWaterMark: chunkSize }) as AsyncIterable<Buffer>) {
    carry.push(piece);
    carried += piece.length;
    while (carried >= chunkSize) {
      const all = Buffer.concat(carry);
      yield all.subarray(0, chunkSize);
      carry = [all.subarray(chunkSize)];
      carried = all.length - chunkSize;
    }
  }
  if (carried > 0) yield Buffer.concat(carry);
}

/** Spools a whole buffer (IMAP APPEND of a small literal, tests). */
export async function spoolBuffer(data: Buffer, maxBytes = Number.MAX_SAFE_INTEGER): Promise<SpooledMessage> {
  const s = new Spool({ maxBytes });
  await s.write(data);
  return s.finish();
}

/** Spools a readable stream, awaiting each write so the source is paused while we catch up. */
export async function spoolStream(source: AsyncIterable<Buffer | string>, opts: SpoolOptions): Promise<SpooledMessage> {
  const s = new Spool(opts);
  try {
    for await (const chunk of source) await s.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (err) {
    await s.discard();
    throw err;
  }
  return s.finish();
}

const SPOOL_FILE = /^darwin-spool-(\d+)-[0-9a-f]+$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes spool files left by processes that died mid-message (a SIGKILL during DATA): nothing
 * refers to them, since a message is only acknowledged after its bytes are in the database.
 * Returns how many were removed. Called when an engine process starts.
 */
export async function removeStaleSpools(dir: string = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = SPOOL_FILE.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
