/** One event per command line received, in arrival order. */
export type LineEvent =
  | { readonly kind: 'line'; readonly line: string }
  /** A line longer than the limit: its bytes were discarded up to the next LF. */
  | { readonly kind: 'too-long' };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits the bytes a client sends into command lines, whatever the TCP chunking: a line may arrive
 * in many chunks and a chunk may hold many lines (pipelining). Lines end with CRLF; a bare LF is
 * accepted too. A line longer than `maxLineBytes` (terminator included) is reported once, as soon
 * as it overflows, and the rest of it is dropped, so memory stays bounded by the limit.
 * Pure: it never touches the network.
 */
export class LineReader {
  private parts: Buffer[] = [];
  private bytes = 0;
  private discarding = false;

  /** May be changed between lines (SASL responses are allowed to be longer than commands). */
  constructor(public maxLineBytes: number) {}

  push(chunk: Buffer): LineEvent[] {
    const out: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf < 0 ? chunk.length : lf + 1;
      if (!this.discarding) {
        if (this.bytes + (end - start) > this.maxLineBytes) {
          this.discarding = true;
          this.parts = [];
          this.bytes = 0;
          out.push({ kind: 'too-long' });
        } else {
          this.parts.push(chunk.subarray(start, end));
          this.bytes += end - start;
        }
      }
      if (lf >= 0) {
        if (!this.discarding) out.push({ kind: 'line', line: decodeLine(Buffer.concat(this.parts, this.bytes)) });
        this.parts = [];
        this.bytes = 0;
        this.discarding = false;
      }
      start = end;
    }
    return out;
  }

  /** Forgets a partial line (after STLS nothing sent in plaintext may be carried over). */
  reset(): void {
    this.parts = [];
    this.bytes = 0;
    this.discarding = false;
  }
}

function decodeLine(raw: Buffer): string {
  let end = raw.length - 1; // the LF
  if (end > 0 && raw[end - 1] === CR) end -= 1;
  return raw.toString('utf8', 0, end);
}
