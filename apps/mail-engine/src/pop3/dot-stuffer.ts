const LF = 0x0a;
const DOT = 0x2e;
const LF_DOT = Buffer.from('\n.');
const ONE_DOT = Buffer.from('.');
const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

/**
 * Byte-stuffing of a message for a POP3 multi-line response (RFC 1939 section 3): every line that
 * starts with "." gets one more ".", so that no line of the message reads as the terminating ".".
 * A line start is the first byte of the message or the byte after any LF (stored messages use
 * CRLF; a stray bare LF is treated as a line end too, as clients splitting on LF would). State is
 * carried across chunks, so a "." right after a CRLF that ends the previous chunk is still stuffed.
 * `finish` adds a CRLF when the last line lacks one, so the terminator starts on its own line.
 */
export class DotStuffing {
  /** Octets of message consumed so far (before stuffing): compare with the stored size. */
  bytesIn = 0;
  private atLineStart = true;

  stuff(chunk: Buffer): Buffer {
    if (chunk.length === 0) return EMPTY;
    this.bytesIn += chunk.length;
    const parts: Buffer[] = [];
    if (this.atLineStart && chunk[0] === DOT) parts.push(ONE_DOT);
    let start = 0;
    for (let i = chunk.indexOf(LF_DOT); i >= 0; i = chunk.indexOf(LF_DOT, i + 1)) {
      parts.push(chunk.subarray(start, i + 1), ONE_DOT);
      start = i + 1;
    }
    this.atLineStart = chunk[chunk.length - 1] === LF;
    if (parts.length === 0) return chunk;
    parts.push(chunk.subarray(start));
    return Buffer.concat(parts);
  }

  /** What must follow the last chunk so the message ends with a line end. */
  finish(): Buffer {
    return this.bytesIn > 0 && !this.atLineStart ? CRLF : EMPTY;
  }
}
