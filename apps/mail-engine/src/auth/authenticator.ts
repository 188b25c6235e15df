import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { normalizeAddress, verifyPassword } from '@darwin/core';
import type { LoginThrottle } from '@darwin/db';
import type { Logger } from '@darwin/logger';
import type { MailboxAccount, MailStore } from '@darwin/mail-store';

export type Protocol = 'imap' | 'pop3' | 'smtp';

export type LoginResult =
  | { readonly ok: true; readonly account: MailboxAccount }
  /** invalid: wrong address or password (never say which); disabled: the protocol is off for this
   *  mailbox or plan; suspended: login suspended, or the tenant/domain is suspended; locked: too
   *  many recent failures for this account or client address (answer it like invalid). */
  | { readonly ok: false; readonly reason: 'invalid' | 'disabled' | 'suspended' | 'locked' };

export interface AuthenticatorOptions {
  readonly store: MailStore;
  readonly logger: Logger;
  /** Delay before a failed login is answered. */
  readonly failureDelayMs: number;
  /** How long a verified (address, password, hash) triple is trusted without re-hashing. */
  readonly cacheTtlMs?: number;
  /** Shared failure counting and lockout; without it, failures are only delayed (unit tests). */
  readonly throttle?: LoginThrottle;
}

// A valid argon2id hash of a random string: verifying against it when the address is unknown makes
// "no such user" cost the same as "wrong password", so timing does not reveal which addresses exist.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$U4LdwHwKUONETJn6Uj/1kg$tJPdTxPJI/3lR7bdkyyPQqUeGzQjGAPaeSyzN5SwjQQ';

/**
 * Password checks for SMTP AUTH, IMAP and POP3. argon2id is deliberately slow, and mail clients
 * log in again and again with the same password, so a successful check is remembered for a short
 * while, keyed by a digest of (address, password, stored hash): a changed password misses.
 */
export class Authenticator {
  private readonly cache = new Map<string, number>();
  private readonly ttl: number;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.ttl = opts.cacheTtlMs ?? 60_000;
  }

  async login(user: string, password: string, ctx: { protocol: Protocol; ip?: string }): Promise<LoginResult> {
    const key = normalizeAddress(user) ?? user.trim().toLowerCase().slice(0, 254);
    const ip = ctx.ip?.replace(/^::ffff:/, '');
    const throttle = this.opts.throttle;
    const lock = throttle ? await throttle.check(key, ip) : { locked: false };
    const result: LoginResult = lock.locked ? { ok: false, reason: 'locked' } : await this.check(user, password, ctx.protocol);
    if (!result.ok) {
      // Only wrong passwords count towards a lockout; a right password for a disabled account does not.
      const nowLocked = result.reason === 'invalid' && throttle ? (await throttle.fail(key, ip, { protocol: ctx.protocol })).locked : false;
      this.opts.logger.info('login failed', { protocol: ctx.protocol, user: key, ip, reason: result.reason, lockedOut: nowLocked || undefined });
      await sleep(this.opts.failureDelayMs);
    } else {
      await throttle?.succeed(key);
      void this.opts.store.touchLogin(result.account.id).catch(() => {});
    }
    return result;
  }

  private async check(user: string, password: string, protocol: Protocol): Promise<LoginResult> {
    const address = normalizeAddress(user);
    const account = address ? await this.opts.store.findAccount(address) : undefined;
    if (!account) {
      await verifyPassword(DUMMY_HASH, password);
      return { ok: false, reason: 'invalid' };
    }
    if (!(await this.passwordMatches(account, password))) return { ok: false, reason: 'invalid' };
    if (account.loginSuspended || !account.tenantActive || !account.domainActive) return { ok: false, reason: 'suspended' };
    if ((protocol === 'imap' && !account.imapEnabled) || (protocol === 'pop3' && !account.pop3Enabled)) return { ok: false, reason: 'disabled' };
    return { ok: true, account };
  }

  private async passwordMatches(account: MailboxAccount, password: string): Promise<boolean> {
    const key = createHash('sha256').update(account.address).update('\0').update(password).update('\0').update(account.passwordHash).digest('base64');
    const now = Date.now();
    const until = this.cache.get(key);
    if (until !== undefined && until > now) return true;
    const ok = await verifyPassword(account.passwordHash, password);
    if (ok) {
      if (this.cache.size > 10_000) this.prune(now);
      this.cache.set(key, now + this.ttl);
    }
    return ok;
  }

  private prune(now: number): void {
    for (const [k, until] of this.cache) if (until <= now) this.cache.delete(k);
    // Still too big (a flood of distinct logins): start over rather than grow without bound.
    if (this.cache.size > 10_000) this.cache.clear();
  }
}
