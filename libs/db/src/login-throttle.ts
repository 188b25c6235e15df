import type { Config } from '@darwin/config';
import type { AuthFailureScope } from './entities/auth-failure.entity.js';

/** Runs SQL and returns rows: adapts a pg Pool (`r => r.rows`) or a TypeORM DataSource (`ds.query`). */
export type Query = <R = Record<string, unknown>>(sql: string, params: unknown[]) => Promise<R[]>;

export interface LoginThrottleOptions {
  readonly maxFailuresAccount: number;
  readonly maxFailuresIp: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

export interface LockState {
  readonly locked: boolean;
  /** Which key is locked, for logs (never shown to the client). */
  readonly scope?: AuthFailureScope;
  readonly until?: Date;
}

/**
 * Counting and lockout of failed logins, shared by every protocol and process through Postgres.
 * A run of failures (per account, per client IP) inside the window locks that key for a while and
 * records an abuse event the first time. A success clears the account's counter, not the IP's:
 * one good password must not whitewash an address that is guessing at many accounts.
 */
export class LoginThrottle {
  /** The throttle with the DARWIN_AUTH_* settings, as every protocol and the API use it. */
  static fromConfig(query: Query, config: Pick<Config, 'authMaxFailuresAccount' | 'authMaxFailuresIp' | 'authFailureWindow' | 'authLockout'>): LoginThrottle {
    return new LoginThrottle(query, {
      maxFailuresAccount: config.authMaxFailuresAccount,
      maxFailuresIp: config.authMaxFailuresIp,
      windowMs: config.authFailureWindow,
      lockoutMs: config.authLockout,
    });
  }

  constructor(
    private readonly query: Query,
    private readonly opts: LoginThrottleOptions,
  ) {}

  async check(account: string | undefined, ip: string | undefined): Promise<LockState> {
    const rows = await this.query<{ scope: AuthFailureScope; locked_until: Date }>(
      `SELECT scope, locked_until FROM auth_failures
        WHERE ((scope = 'account' AND key = $1) OR (scope = 'ip' AND key = $2)) AND locked_until > now()
        ORDER BY locked_until DESC LIMIT 1`,
      [account ?? '', ip ?? ''],
    );
    const r = rows[0];
    return r ? { locked: true, scope: r.scope, until: r.locked_until } : { locked: false };
  }

  /** Counts one failure against the account and the IP; returns whether either is now locked. */
  async fail(account: string | undefined, ip: string | undefined, context: { protocol: string }): Promise<LockState> {
    const results: LockState[] = [];
    if (account) results.push(await this.count('account', account.slice(0, 254), this.opts.maxFailuresAccount, ip, context));
    if (ip) results.push(await this.count('ip', ip, this.opts.maxFailuresIp, ip, context));
    return results.find((r) => r.locked) ?? { locked: false };
  }

  async succeed(account: string): Promise<void> {
    await this.query(`DELETE FROM auth_failures WHERE scope = 'account' AND key = $1 AND (locked_until IS NULL OR locked_until <= now())`, [account]);
  }

  private async count(scope: AuthFailureScope, key: string, max: number, ip: string | undefined, context: { protocol: string }): Promise<LockState> {
    const windowSec = this.opts.windowMs / 1000;
    const lockSec = this.opts.lockoutMs / 1000;
    // One statement: restart the window when it has expired, count, and lock at the threshold.
    // `newly` is true only for the statement that set the lock (its own now() + lockout; concurrent
    // statements wait on the row lock and then keep the lock they find), so one abuse event per lock.
    const [row] = await this.query<{ failures: number; locked_until: Date | null; newly: boolean }>(
      `INSERT INTO auth_failures AS a (scope, key, window_start, failures, last_failure_at, locked_until)
       VALUES ($1, $2, now(), 1, now(), CASE WHEN 1 >= $3 THEN now() + make_interval(secs => $5) END)
       ON CONFLICT (scope, key) DO UPDATE SET
         failures = CASE WHEN a.window_start < now() - make_interval(secs => $4) THEN 1 ELSE a.failures + 1 END,
         window_start = CASE WHEN a.window_start < now() - make_interval(secs => $4) THEN now() ELSE a.window_start END,
         last_failure_at = now(),
         locked_until = CASE
           WHEN a.locked_until > now() THEN a.locked_until
           WHEN (CASE WHEN a.window_start < now() - make_interval(secs => $4) THEN 1 ELSE a.failures + 1 END) >= $3
             THEN now() + make_interval(secs => $5)
           ELSE NULL END
       RETURNING a.failures, a.locked_until,
         (a.locked_until = now() + make_interval(secs => $5)) AS newly`,
      [scope, key, max, windowSec, lockSec],
    );
    if (!row) return { locked: false };
    if (row.newly) await this.recordAbuse(scope, key, row.failures, ip, context.protocol);
    return row.locked_until && new Date(row.locked_until) > new Date() ? { locked: true, scope, until: row.locked_until } : { locked: false };
  }

  private async recordAbuse(scope: AuthFailureScope, key: string, failures: number, ip: string | undefined, protocol: string): Promise<void> {
    const details = JSON.stringify({ scope, key, failures, windowMs: this.opts.windowMs, lockoutMs: this.opts.lockoutMs, protocol });
    // For an account lock, attach the event to the mailbox when the address exists.
    await this.query(
      `INSERT INTO abuse_events (tenant_id, mailbox_id, kind, details, ip)
       SELECT m.tenant_id, m.id, 'auth_failures', $2::jsonb, $3::inet FROM (SELECT 1) AS one
         LEFT JOIN mailboxes m ON $4 = 'account' AND m.address = $1`,
      [key, details, ip && /^[0-9a-f.:]+$/i.test(ip) ? ip.replace(/^::ffff:/, '') : null, scope],
    );
  }
}
