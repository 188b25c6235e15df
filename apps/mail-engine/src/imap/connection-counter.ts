/**
 * Open IMAP connections per client address and per logged-in user, in this process. With several
 * engine processes each enforces its own count (a shared count would need Postgres or a lease
 * table; see the README). Pure bookkeeping: the session asks before it proceeds and releases on
 * close.
 */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a slot for `key`; false (nothing taken) when it already has `max`. */
  tryAcquire(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.counts.get(key) ?? 0;
    if (n <= 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

export interface ConnectionCounters {
  readonly perIp: ConnectionCounter;
  readonly perUser: ConnectionCounter;
}
