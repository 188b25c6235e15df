/**
 * Failed-login counting for the API, per client IP and per mailbox account, in this process's
 * memory. (Operators are locked in the database, on operators.failed_logins/locked_until, see
 * operator-lockout.ts, so that lock holds in every API process.)
 *
 * Limits of keeping this in memory, on purpose for now: each API process counts on its own, and a
 * restart forgets the counts. The interface is the one of libs/db's shared LoginThrottle (check,
 * fail, succeed), so switching to it changes this file only.
 */
export interface ThrottleOptions {
  readonly maxFailuresIp: number;
  readonly maxFailuresAccount: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

export interface LockState {
  readonly locked: boolean;
  readonly scope?: 'ip' | 'account';
  readonly until?: Date;
}

interface Counter {
  windowStart: number;
  failures: number;
  lockedUntil: number;
}

/** Entries kept at most; beyond it the oldest go first (a flood of random IPs cannot eat memory). */
const MAX_ENTRIES = 100_000;

export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly opts: ThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  check(account: string | undefined, ip: string | null): LockState {
    for (const [scope, key] of this.keys(account, ip)) {
      const c = this.counters.get(key);
      if (c && c.lockedUntil > this.now()) return { locked: true, scope, until: new Date(c.lockedUntil) };
    }
    return { locked: false };
  }

  /** Counts one failure against the IP and (for mailbox logins) the account; answers whether one is now locked. */
  fail(account: string | undefined, ip: string | null): LockState {
    let result: LockState = { locked: false };
    for (const [scope, key] of this.keys(account, ip)) {
      const max = scope === 'ip' ? this.opts.maxFailuresIp : this.opts.maxFailuresAccount;
      const now = this.now();
      let c = this.counters.get(key);
      if (!c || now - c.windowStart > this.opts.windowMs) {
        c = { windowStart: now, failures: 0, lockedUntil: c && c.lockedUntil > now ? c.lockedUntil : 0 };
      }
      if (c.lockedUntil <= now) {
        c.failures += 1;
        if (c.failures >= max) {
          c.lockedUntil = now + this.opts.lockoutMs;
          c.failures = 0;
          c.windowStart = now;
          if (!result.locked) result = { locked: true, scope, until: new Date(c.lockedUntil) };
        }
      }
      this.counters.delete(key); // re-insert: Map order is then "least recently failed first"
      this.counters.set(key, c);
    }
    this.prune();
    return result;
  }

  /** A good password clears the account's count, not the IP's (one success must not whitewash a guesser). */
  succeed(account: string | undefined): void {
    if (account) this.counters.delete(`account:${account}`);
  }

  private keys(account: string | undefined, ip: string | null): ['ip' | 'account', string][] {
    const keys: ['ip' | 'account', string][] = [];
    if (ip) keys.push(['ip', `ip:${ip}`]);
    if (account) keys.push(['account', `account:${account}`]);
    return keys;
  }

  private prune(): void {
    if (this.counters.size <= MAX_ENTRIES) return;
    const now = this.now();
    for (const [key, c] of this.counters) {
      if (this.counters.size <= MAX_ENTRIES * 0.9) break;
      if (c.lockedUntil <= now) this.counters.delete(key);
    }
  }
}
