const LF = 0x0a;
const CR = 0x0d;

/**
 * What TOP sends of a message (RFC 1939 section 7): the header, the blank line after it, then at
 * most `bodyLines` lines of the body. Fed chunk by chunk; `done` says nothing more is needed, so
 * the caller can stop reading the message. A message without a blank line is all header.
 */
export class TopCutter {
  private inHeader = true;
  private lineEmpty = true;
  private left: number;
  private finished = false;

  constructor(bodyLines: number) {
    this.left = bodyLines;
  }

  get done(): boolean {
    return this.finished;
  }

  /** The part of `chunk` to send. */
  push(chunk: Buffer): Buffer {
    if (this.finished) return chunk.subarray(0, 0);
    let i = 0;
    if (this.inHeader) {
      for (; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === LF) {
          if (this.lineEmpty) {
            this.inHeader = false;
            i += 1;
            break;
          }
          this.lineEmpty = true;
        } else if (b !== CR) {
          this.lineEmpty = false;
        }
      }
      if (this.inHeader) return chunk;
    }
    while (true) {
      if (this.left <= 0) {
        this.finished = true;
        return chunk.subarray(0, i);
      }
      const lf = chunk.indexOf(LF, i);
      if (lf < 0) return chunk;
      this.left -= 1;
      i = lf + 1;
    }
  }
}
