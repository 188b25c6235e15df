import type { MailStore } from '@darwin/mail-store';
import type { Maildrop } from './maildrop.js';

/**
 * What read-ahead needs of the store: `MailStore.readBlobs`, whole small blobs (at most
 * `maxBytes` and one storage chunk) in one round trip; blobs that are larger, or gone, are left out
 * of the map (those messages are streamed with `openBlob`, which also tells a vanished one).
 */
export type BlobBulkReader = Pick<MailStore, 'readBlobs'>;

export interface ReadAheadLimits {
  /** Only messages of at most this many octets are read ahead (at most the store's chunk size: readBlobs leaves larger ones out). */
  readonly maxMessageBytes: number;
  /** Messages per store query, at most. */
  readonly maxMessages: number;
  /** Octets per store query, at most; the session holds at most two queries' worth. */
  readonly maxBytes: number;
}

/**
 * Read-ahead for clients that download the maildrop in order, as nearly all do (RETR 1, RETR 2,
 * ...: fetchmail, Outlook, Thunderbird, poplib scripts). Streaming each message costs a store
 * round trip per RETR, more than the RETR itself (bench/pop3-bench.mjs); here one query brings
 * the next messages, and while they are being sent the query for the ones after them is already
 * running, so an in-order download waits for the database about once per window, not per message.
 *
 * The window starts small and doubles while the client goes in order (up to `maxMessages` and
 * `maxBytes`); a jump resets it to the one message asked for, so random access costs what
 * streaming costs. Bytes are dropped once sent or passed over, so a session holds at most two
 * windows. Large messages are never read ahead: they stream chunk by chunk as before. A failed
 * read-ahead is not an error: the messages it should have brought are streamed instead.
 */
export class ReadAhead {
  private readonly bytes = new Map<number, Buffer>();
  /** Message numbers a query is (or was) fetching; reset when it completes. */
  private fetching: { readonly numbers: ReadonlySet<number>; readonly done: Promise<void> } | undefined;
  private window = 4;
  private last = 0;

  constructor(
    private readonly store: BlobBulkReader,
    private readonly maildrop: Maildrop,
    private readonly limits: ReadAheadLimits,
  ) {}

  /**
   * The bytes of message `n` (not deleted, already checked by the caller), or undefined when it
   * is not read ahead (too large, or the read failed): stream it then.
   */
  async take(n: number): Promise<Buffer | undefined> {
    const inOrder = n === this.last + 1;
    this.last = n;
    // What lies behind the client is of no more use.
    for (const k of this.bytes.keys()) if (k < n) this.bytes.delete(k);
    if (!inOrder) this.window = 1;
    if (!this.bytes.has(n) && this.fetching?.numbers.has(n)) await this.fetching.done;
    if (!this.bytes.has(n)) {
      if (!this.eligible(n)) return undefined;
      await this.fetch(n);
    }
    const bytes = this.bytes.get(n);
    this.bytes.delete(n);
    if (inOrder) {
      this.window = Math.min(this.window * 2, this.limits.maxMessages);
      // Stay a window ahead of an in-order client: the next query runs while these messages are sent.
      if (!this.fetching && this.bytes.size < this.window) {
        const from = this.firstNotHeld(n + 1);
        if (from !== undefined) void this.fetch(from);
      }
    }
    return bytes;
  }

  /** How many messages' bytes are held (tests). */
  get held(): number {
    return this.bytes.size;
  }

  private eligible(n: number): boolean {
    const m = this.maildrop.get(n);
    return m !== undefined && m.size <= this.limits.maxMessageBytes;
  }

  /** The first message from `n` on that could be read ahead and is not held yet. */
  private firstNotHeld(n: number): number | undefined {
    for (let k = n; k <= this.maildrop.highest; k++) if (!this.bytes.has(k) && this.eligible(k)) return k;
    return undefined;
  }

  /** Fetches messages from `n` on: up to the window's count and the byte limit, skipping large and deleted ones. */
  private fetch(n: number): Promise<void> {
    const numbers: number[] = [];
    const blobIds: string[] = [];
    let octets = 0;
    for (let k = n; k <= this.maildrop.highest && numbers.length < this.window; k++) {
      const m = this.maildrop.get(k);
      if (!m || m.size > this.limits.maxMessageBytes || this.bytes.has(k)) continue;
      if (numbers.length > 0 && octets + m.size > this.limits.maxBytes) break;
      numbers.push(k);
      blobIds.push(m.blobId);
      octets += m.size;
    }
    // A store that throws instead of rejecting is a failed read-ahead like any other.
    const done = Promise.resolve()
      .then(() => this.store.readBlobs(blobIds, this.limits.maxMessageBytes))
      .then((found) => {
        numbers.forEach((k, i) => {
          const b = found.get(blobIds[i]!);
          // Only what the client has not passed meanwhile.
          if (b && k >= this.last) this.bytes.set(k, b);
        });
      })
      .catch(() => {
        // Streamed instead; if the store keeps failing, the client hears of it there.
      })
      .finally(() => {
        if (this.fetching?.done === done) this.fetching = undefined;
      });
    this.fetching = { numbers: new Set(numbers), done };
    return done;
  }
}
