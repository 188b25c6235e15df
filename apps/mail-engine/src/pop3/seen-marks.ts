/**
 * The \Seen flags RETR earns, written to the store in batches rather than one transaction per
 * message. A commit per RETR cost more than the RETR itself (measured: bench/pop3-bench.mjs, see
 * README); Dovecot likewise keeps them in memory and writes them when the session ends.
 *
 * Pending marks are written when `maxBatch` have gathered, `maxDelayMs` after the first of them
 * (so IMAP clients of the same mailbox see the messages as read about a second later), and when
 * the session ends, with or without QUIT. Writes never overlap and keep their order; `flush()`
 * resolves once everything added before it is written (or has failed: `write` reports its own
 * errors, a missed \Seen is not worth failing a session over).
 */
export class SeenMarks {
  private pending: number[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (uids: number[]) => Promise<void>,
    private readonly opts: { readonly maxBatch: number; readonly maxDelayMs: number },
  ) {}

  /** How many marks wait to be written. */
  get size(): number {
    return this.pending.length;
  }

  add(uid: number): void {
    this.pending.push(uid);
    if (this.pending.length >= this.opts.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.maxDelayMs).unref();
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) {
      const uids = [...new Set(this.pending)].sort((a, b) => a - b);
      this.pending = [];
      this.writing = this.writing.then(() => this.write(uids).catch(() => {}));
    }
    return this.writing;
  }
}
