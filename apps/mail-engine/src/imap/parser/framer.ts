/**
 * Splits the client's byte stream into IMAP commands: CRLF-terminated lines, where a line ending in
 * a literal marker (`{n}`, `{n+}`, `~{n}`) is followed by n raw bytes and then the rest of the
 * command. Pure and incremental: bytes go in with push(), events come out of next(); it never
 * touches the network, so the session decides what to answer (continuation, refusal, BAD).
 *
 * Limits: the text of a command (all its lines, literals excluded) may not exceed maxLineBytes;
 * past it the rest of the command is read and thrown away (following `{n+}` markers so a refused
 * command cannot smuggle its literal bytes in as new commands). A literal is read only after the
 * session accepts it, which is how oversize literals are refused before any `+` is sent.
 */

/** A complete command: lines.length === literals.length + 1; line k ends with the marker of literal k. */
export interface Frame {
  readonly lines: readonly Buffer[];
  readonly literals: readonly Buffer[];
  /** Indexes of literals that were streamed out (their entry in `literals` is empty). */
  readonly streamed?: ReadonlySet<number>;
}

export interface LiteralRequest {
  /** Declared size; may exceed 2^32 when the client wrote absurd digits (refuse it). */
  readonly size: number;
  /** `{n+}` (RFC 7888): the bytes follow without waiting for a continuation. */
  readonly nonSync: boolean;
  /** `~{n}` (RFC 3516 literal8). */
  readonly binary: boolean;
  /** The command's first line, to read the tag and command name from. */
  readonly firstLine: Buffer;
  /** The line that ends with this literal's marker. */
  readonly line: Buffer;
  /** Literals of this command before this one, and their total size. */
  readonly index: number;
  readonly bytesSoFar: number;
}

export type FramerEvent =
  | { readonly type: 'command'; readonly frame: Frame }
  /** The framer waits for accept() or reject() before anything else happens. */
  | { readonly type: 'literal'; readonly request: LiteralRequest }
  /** The command text exceeded the limit; its remainder is being discarded. `head` is its start. */
  | { readonly type: 'too-long'; readonly head: Buffer }
  /** Bytes of a literal accepted with acceptStream(), as they arrive. */
  | { readonly type: 'literal-data'; readonly index: number; readonly data: Buffer }
  /** The streamed literal is complete; the command goes on. */
  | { readonly type: 'literal-end'; readonly index: number };

export interface FramerOptions {
  readonly maxLineBytes: number;
}

type Mode = 'line' | 'literal' | 'literal-stream' | 'discard-bytes' | 'discard-line';

const LF = 0x0a;
const CR = 0x0d;
const MARKER = /(~?)\{(\d{1,20})(\+?)\}$/;
const HEAD_BYTES = 1024;
const TAIL_BYTES = 32;

export function literalMarker(line: Buffer): { size: number; nonSync: boolean; binary: boolean } | undefined {
  if (line.length < 3 || line[line.length - 1] !== 0x7d) return undefined;
  const m = MARKER.exec(line.subarray(Math.max(0, line.length - TAIL_BYTES)).toString('latin1'));
  if (!m) return undefined;
  return { size: Number(m[2]), nonSync: m[3] === '+', binary: m[1] === '~' };
}

export class CommandFramer {
  private buf: Buffer = Buffer.alloc(0);
  private scanFrom = 0;
  private mode: Mode = 'line';
  private lines: Buffer[] = [];
  private literals: Buffer[] = [];
  private literalBytes = 0;
  private textBytes = 0;
  private remaining = 0;
  private literalParts: Buffer[] = [];
  private tail: Buffer = Buffer.alloc(0);
  private pending?: LiteralRequest;
  private streamed = new Set<number>();

  constructor(private readonly opts: FramerOptions) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** Bytes received and not yet turned into events. */
  buffered(): number {
    return this.buf.length;
  }

  /** True between commands (nothing of a command has been read yet). */
  idle(): boolean {
    return this.mode === 'line' && this.lines.length === 0 && this.buf.length === 0;
  }

  /** Drops everything buffered (STARTTLS: nothing sent in clear text may be read after it). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.scanFrom = 0;
    this.pending = undefined;
    this.mode = 'line';
    this.startCommand();
  }

  /** Read the literal announced by the last 'literal' event. */
  accept(): void {
    const req = this.takePending();
    this.mode = 'literal';
    this.remaining = req.size;
    this.literalParts = [];
  }

  /** Read the literal announced by the last 'literal' event as 'literal-data' events, not into memory. */
  acceptStream(): void {
    const req = this.takePending();
    this.mode = 'literal-stream';
    this.remaining = req.size;
  }

  /** Refuse the literal: the command is dropped (a non-synchronising literal's bytes are skipped). */
  reject(): void {
    const req = this.takePending();
    this.startCommand();
    if (req.nonSync) {
      this.mode = 'discard-bytes';
      this.remaining = req.size;
    } else {
      this.mode = 'line';
    }
  }

  next(): FramerEvent | undefined {
    if (this.pending) throw new Error('CommandFramer: accept() or reject() the pending literal first');
    for (;;) {
      switch (this.mode) {
        case 'line': {
          const lf = this.buf.indexOf(LF, this.scanFrom);
          if (lf < 0) {
            this.scanFrom = this.buf.length;
            if (this.textBytes + this.buf.length > this.opts.maxLineBytes) return this.tooLong();
            return undefined;
          }
          const end = lf > 0 && this.buf[lf - 1] === CR ? lf - 1 : lf;
          if (this.textBytes + end > this.opts.maxLineBytes) return this.tooLong();
          const line = Buffer.from(this.buf.subarray(0, end));
          this.consume(lf + 1);
          this.lines.push(line);
          this.textBytes += end;
          const marker = literalMarker(line);
          if (marker) {
            this.pending = { ...marker, firstLine: this.lines[0]!, line, index: this.literals.length, bytesSoFar: this.literalBytes };
            return { type: 'literal', request: this.pending };
          }
          const frame: Frame = this.streamed.size > 0 ? { lines: this.lines, literals: this.literals, streamed: this.streamed } : { lines: this.lines, literals: this.literals };
          this.startCommand();
          return { type: 'command', frame };
        }
        case 'literal': {
          const take = Math.min(this.remaining, this.buf.length);
          if (take > 0) {
            this.literalParts.push(Buffer.from(this.buf.subarray(0, take)));
            this.consume(take);
            this.remaining -= take;
          }
          if (this.remaining > 0) return undefined;
          const literal = Buffer.concat(this.literalParts);
          this.literalParts = [];
          this.literals.push(literal);
          this.literalBytes += literal.length;
          this.mode = 'line';
          continue;
        }
        case 'literal-stream': {
          if (this.remaining === 0) {
            const index = this.literals.length;
            this.literals.push(Buffer.alloc(0));
            this.streamed.add(index);
            this.mode = 'line';
            return { type: 'literal-end', index };
          }
          if (this.buf.length === 0) return undefined;
          const take = Math.min(this.remaining, this.buf.length);
          const data = Buffer.from(this.buf.subarray(0, take));
          this.consume(take);
          this.remaining -= take;
          return { type: 'literal-data', index: this.literals.length, data };
        }
        case 'discard-bytes': {
          const take = Math.min(this.remaining, this.buf.length);
          this.consume(take);
          this.remaining -= take;
          if (this.remaining > 0) return undefined;
          this.tail = Buffer.alloc(0);
          this.mode = 'discard-line';
          continue;
        }
        case 'discard-line': {
          const lf = this.buf.indexOf(LF);
          if (lf < 0) {
            this.keepTail(this.buf);
            this.consume(this.buf.length);
            return undefined;
          }
          this.keepTail(this.buf.subarray(0, lf));
          this.consume(lf + 1);
          const line = this.tail.length > 0 && this.tail[this.tail.length - 1] === CR ? this.tail.subarray(0, -1) : this.tail;
          const marker = literalMarker(line);
          this.tail = Buffer.alloc(0);
          if (marker?.nonSync) {
            this.mode = 'discard-bytes';
            this.remaining = marker.size;
          } else {
            // End of the command (a synchronising literal in a refused command is never sent: no '+').
            this.mode = 'line';
          }
          continue;
        }
      }
    }
  }

  private tooLong(): FramerEvent {
    const head = this.lines[0] ?? Buffer.from(this.buf.subarray(0, Math.min(HEAD_BYTES, this.buf.length)));
    // Whatever of the current line is buffered is part of what gets discarded.
    this.startCommand();
    this.tail = Buffer.alloc(0);
    this.mode = 'discard-line';
    return { type: 'too-long', head };
  }

  private keepTail(bytes: Buffer): void {
    if (bytes.length >= TAIL_BYTES) this.tail = Buffer.from(bytes.subarray(bytes.length - TAIL_BYTES));
    else this.tail = Buffer.concat([this.tail, bytes]).subarray(-TAIL_BYTES);
  }

  private takePending(): LiteralRequest {
    const req = this.pending;
    if (!req) throw new Error('CommandFramer: no literal is pending');
    this.pending = undefined;
    return req;
  }

  private startCommand(): void {
    this.lines = [];
    this.literals = [];
    if (this.streamed.size > 0) this.streamed = new Set();
    this.literalBytes = 0;
    this.textBytes = 0;
  }

  private consume(n: number): void {
    this.buf = n >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(n);
    this.scanFrom = 0;
  }
}
