/**
 * A map whose entries expire, for the small caches of the servers (DNS answers, sender
 * verification results, MTA-STS policies). Bounded: when full, expired entries go first, then
 * all of them, so a flood of distinct keys never grows memory (a cache simply refills).
 */
export class TtlMap<K, V> {
  private readonly entries = new Map<K, { readonly until: number; readonly value: V }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value while it has not expired. */
  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > this.now()) return e.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: K, value: V, ttlMs: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const now = this.now();
      for (const [k, e] of this.entries) if (e.until <= now) this.entries.delete(k);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
    }
    this.entries.set(key, { until: this.now() + ttlMs, value });
  }

  get size(): number {
    return this.entries.size;
  }
}
