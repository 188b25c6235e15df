/**
 * The pause before the SMTP greeting, with memory (Postfix postscreen's pregreet test, in small).
 * A client that sends before it is greeted is a bot that does not wait for replies; smtp-server
 * answers it `421 You talk too soon`. Waiting costs every connection the pause, so a client that
 * stayed silent through it is remembered for `ttlMs` and greeted at once meanwhile, as postscreen
 * does with postscreen_greet_ttl. A real MTA reconnecting often pays the pause once a day.
 */
export class GreetPause {
  /** Client address -> when its pass expires (ms since the epoch), oldest insertion first. */
  private readonly passed = new Map<string, number>();

  constructor(
    /** 0 greets at once (submission; or the check turned off). */
    private readonly pauseMs: number,
    private readonly ttlMs: number,
    /** Bounds memory under a scan from many addresses: past it, the oldest passes are forgotten. */
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long to wait before greeting a client at `ip`. */
  pauseFor(ip: string): number {
    if (this.pauseMs <= 0) return 0;
    const until = this.passed.get(ip);
    if (until !== undefined) {
      if (until > this.now()) return 0;
      this.passed.delete(ip);
    }
    return this.pauseMs;
  }

  /** The client at `ip` waited for the greeting. */
  pass(ip: string): void {
    if (this.pauseMs <= 0 || this.ttlMs <= 0) return;
    if (this.passed.size >= this.maxEntries) this.forgetOldest();
    this.passed.delete(ip);
    this.passed.set(ip, this.now() + this.ttlMs);
  }

  get size(): number {
    return this.passed.size;
  }

  private forgetOldest(): void {
    const now = this.now();
    for (const [ip, until] of this.passed) if (until <= now) this.passed.delete(ip);
    // Still full: drop the oldest tenth (insertion order is pass order, so these expire first).
    let drop = this.passed.size >= this.maxEntries ? Math.ceil(this.maxEntries / 10) : 0;
    for (const ip of this.passed.keys()) {
      if (drop-- <= 0) break;
      this.passed.delete(ip);
    }
  }
}
