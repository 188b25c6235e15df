import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';

type Callback = (err?: Error | null) => void;

export interface ChunkSink {
  /** Receives the chunk's bytes in order; call `next` when ready for more (backpressure). */
  data(bytes: Buffer, next: () => void): void;
  /** Every byte of the chunk has arrived; parsing resumes only at the parser's `continue()`. */
  end(): void;
}

/**
 * smtp-server's command parser with one more mode: a BDAT chunk (RFC 3030), i.e. exactly N
 * octets taken as they are, with no dot-stuffing and no end marker. The library parses commands
 * line by line and switches to its DATA mode when a handler asks for it; a chunk works the same
 * way (the `_dataMode` flag routes the following bytes to `_feedDataStream`), only the end is
 * found by counting instead of by CRLF.CRLF. Whatever follows the chunk in the same packet waits
 * until `continue()`, exactly like the bytes after a DATA terminator, so pipelined commands after
 * a BDAT are answered in order.
 */
export class ChunkingParser extends SMTPStream {
  private chunk: { remaining: number; sink: ChunkSink } | undefined;

  /** Switches to chunk mode for `size` (> 0) octets. */
  startChunk(size: number, sink: ChunkSink): void {
    this.chunk = { remaining: size, sink };
    this._dataMode = true;
  }

  get inChunk(): boolean {
    return this.chunk !== undefined;
  }

  override _feedDataStream(input: Buffer, done: Callback): void {
    const chunk = this.chunk;
    if (!chunk) {
      super._feedDataStream(input, done);
      return;
    }
    const take = Math.min(chunk.remaining, input.length);
    const rest = input.subarray(take);
    chunk.remaining -= take;
    const after = () => {
      if (chunk.remaining > 0) {
        done();
        return;
      }
      this.chunk = undefined;
      this._dataMode = false;
      const resume = () => this._write(rest, 'buffer', done);
      if (this._continueCallback === true) {
        this._continueCallback = false;
        chunk.sink.end();
        resume();
      } else {
        this._continueCallback = resume;
        chunk.sink.end();
      }
    };
    if (take > 0) chunk.sink.data(input.subarray(0, take), after);
    else after();
  }
}
