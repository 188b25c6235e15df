import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Config } from '@darwin/config';
import { DomainError, forbidden, hashPassword, passwordProblem, validation, verifyPassword } from '@darwin/core';
import { LoginThrottle, MailboxEntity, OperatorEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { CONFIG, DATA_SOURCE } from '../common/tokens.js';
import { isUuid } from '../common/validate.js';
import { looksLikeApiKey } from '../api-keys/api-key-secret.js';
import { impersonationOf, type Actor } from './actor.js';
import { AccountLookup, type Account } from './account-lookup.js';
import { ApiKeyResolver } from './api-key-resolver.js';
import { ImpersonationService } from './impersonation.service.js';
import { verifyAccessToken } from './jwt.js';

import { clearOperatorFailures, recordOperatorFailure } from './operator-lockout.js';
import { RefreshTokens } from './refresh-tokens.js';
import { currentActor, requestContext } from './request-context.js';
import { SecondFactor } from './second-factor.js';
import { REFRESH_COOKIE, Sessions, type Session } from './sessions.js';

const INVALID_LOGIN = 'Invalid email or password';

/**
 * Password login, refresh and logout, and resolution of the bearer credential of every request.
 * Operators are looked up first, then mailboxes; the password is checked against exactly one hash
 * (the account's, or a dummy one when no account matches), so the answer takes as long whether the
 * account exists or not, and every refusal reads the same.
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private dummyHash: Promise<string> | undefined;
  readonly throttle: LoginThrottle;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: Config,
    private readonly audit: AuditService,
    private readonly accounts: AccountLookup,
    private readonly apiKeys: ApiKeyResolver,
    private readonly sessions: Sessions,
    private readonly refreshTokens: RefreshTokens,
    private readonly secondFactor: SecondFactor,
    private readonly impersonation: ImpersonationService,
  ) {
    // The same Postgres-backed counters as SMTP AUTH, IMAP and POP3: one guesser is counted once,
    // whichever protocol or process it uses.
    this.throttle = new LoginThrottle((sql, params) => dataSource.query(sql, params), {
      maxFailuresIp: config.authMaxFailuresIp,
      maxFailuresAccount: config.authMaxFailuresAccount,
      windowMs: config.authFailureWindow,
      lockoutMs: config.authLockout,
    });
  }

  /** Made at start, so the first login for an unknown account is not slower than the others. */
  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  async login(login: string, password: string, secondFactorCode?: string | null): Promise<Session> {
    const ctx = requestContext();
    const ipLock = await this.throttle.check(undefined, ctx.ip ?? undefined);
    if (ipLock.locked) {
      ctx.logger.warn('login refused', { reason: 'ip throttled' });
      throw new DomainError('UNAUTHENTICATED', 'Too many failed logins from this address; try again later', {
        reason: 'THROTTLED',
        retryAfterSeconds: Math.ceil((ipLock.until!.getTime() - Date.now()) / 1000),
      });
    }
    const account = await this.accounts.byLogin(login);
    // Mailbox and unknown logins are counted per login name here; operators lock in the database.
    const throttleKey = account?.actor.kind === 'operator' ? undefined : login.trim().toLowerCase().slice(0, 254);
    const passwordOk = await verifyPassword(account?.passwordHash ?? (await this.dummy()), password);
    if (!account || !passwordOk) return this.refuse(login, account, throttleKey, !account ? 'no such account' : 'wrong password');
    const blocked = account.blocked ?? (throttleKey && (await this.throttle.check(throttleKey, undefined)).locked ? 'account throttled' : undefined);
    if (blocked) {
      ctx.logger.warn('login refused', { reason: blocked, ...this.loginField(login) });
      await sleep(this.config.authFailureDelay);
      throw new DomainError('UNAUTHENTICATED', INVALID_LOGIN);
    }

    if (account.totp?.enabled) {
      if (!secondFactorCode) {
        throw new DomainError('UNAUTHENTICATED', 'A TOTP code (or a recovery code) is required', { reason: 'TOTP_REQUIRED' });
      }
      if (!(await this.secondFactor.verify(account.actor.id, secondFactorCode))) {
        return this.refuse(login, account, throttleKey, 'wrong second factor', { message: 'Invalid TOTP or recovery code', reason: 'TOTP_INVALID' });
      }
    }

    if (throttleKey) await this.throttle.succeed(throttleKey);
    const actor = account.actor;
    if (actor.kind === 'operator') await clearOperatorFailures(this.dataSource, actor.id);
    return this.dataSource.transaction(async (m) => {
      const table = actor.kind === 'operator' ? OperatorEntity : MailboxEntity;
      await m.update(table, { id: actor.id }, { lastLoginAt: new Date() });
      await this.audit.record(m, { action: 'auth.login', targetType: actor.kind, targetId: actor.id, tenantId: actor.tenantId }, actor);
      return this.sessions.start(m, actor);
    });
  }

  /**
   * Exchanges a refresh token (the argument, or else the httpOnly cookie) for a new access token and
   * the next refresh token. With the cookie, a request from a foreign Origin is refused (CSRF).
   */
  async refresh(given: string | null | undefined): Promise<Session> {
    const token = this.refreshTokenOf(given);
    const { owner, familyId } = await this.refreshTokens.consume(token);
    const account = owner.kind === 'operator' ? await this.accounts.operatorById(owner.id) : await this.accounts.mailboxById(owner.id);
    if (!account || account.blocked) {
      await this.refreshTokens.revokeFamilyOf(token);
      throw new DomainError('UNAUTHENTICATED', 'Invalid or expired refresh token');
    }
    return this.dataSource.transaction(async (m) => {
      await this.audit.record(m, { action: 'auth.refresh', targetType: account.actor.kind, targetId: account.actor.id, tenantId: account.actor.tenantId }, account.actor);
      return this.sessions.start(m, account.actor, familyId);
    });
  }

  /** Ends the session of the refresh token (argument or cookie) and clears the cookie. */
  async logout(given: string | null | undefined): Promise<boolean> {
    const token = this.refreshTokenOf(given);
    const ended = await this.refreshTokens.revokeFamilyOf(token);
    this.sessions.clearCookie();
    return ended;
  }

  /** A signed-in operator or mailbox owner changes its own password; other sessions end. */
  async changeOwnPassword(currentPassword: string, newPassword: string): Promise<boolean> {
    const actor = currentActor();
    if (actor.kind === 'api_key') throw forbidden('API keys have no password');
    if (impersonationOf(actor)) throw forbidden('Not while acting as a tenant admin');
    const problem = passwordProblem(newPassword);
    if (problem) throw validation(`Password ${problem}`, { field: 'newPassword' });
    const account = actor.kind === 'operator' ? await this.accounts.operatorById(actor.id) : await this.accounts.mailboxById(actor.id);
    if (!account || !(await verifyPassword(account.passwordHash, currentPassword))) {
      await sleep(this.config.authFailureDelay);
      throw new DomainError('UNAUTHENTICATED', 'Current password is wrong', { field: 'currentPassword' });
    }
    const passwordHash = await hashPassword(newPassword);
    const kind = actor.kind;
    await this.dataSource.transaction(async (m) => {
      await m.update(kind === 'operator' ? OperatorEntity : MailboxEntity, { id: actor.id }, { passwordHash });
      await this.refreshTokens.revokeAllFor(m, { kind, id: actor.id });
      await this.audit.record(m, { action: `${actor.kind}.password_change`, targetType: actor.kind, targetId: actor.id, tenantId: actor.tenantId });
    });
    return true;
  }

  /**
   * The actor a bearer credential stands for (access token or API key), or undefined when it is
   * invalid or expired, or its account no longer exists, changed role or may no longer log in. One
   * indexed lookup per request, so deleting or suspending an account takes effect at once.
   */
  async resolveCredential(credential: string): Promise<Actor | undefined> {
    if (looksLikeApiKey(credential)) return this.apiKeys.resolve(credential);
    const result = verifyAccessToken(credential, this.sessions.secret());
    if (!result.ok || !isUuid(result.claims.sub)) return undefined;
    // A platform admin acting as a tenant admin: checked against its session and operator.
    if (result.claims.act) return this.impersonation.resolve(result.claims);
    const { sub, role, tid, enr } = result.claims;
    const account = role === 'mailbox_owner' ? await this.accounts.mailboxById(sub) : await this.accounts.operatorById(sub);
    if (!account || account.blocked !== undefined) return undefined;
    if (account.actor.role !== role || account.actor.tenantId !== tid) return undefined;
    // A token issued before the second factor was checked never grants more than enrolment.
    return enr ? { ...account.actor, totpEnrollmentPending: true } : account.actor;
  }

  private refreshTokenOf(given: string | null | undefined): string {
    if (given) return given;
    const ctx = requestContext();
    const cookie = ctx.cookies[REFRESH_COOKIE];
    if (!cookie) throw new DomainError('UNAUTHENTICATED', 'No refresh token');
    // The cookie is SameSite=Strict and GraphQL POSTs need a JSON content type (a CORS preflight
    // this API never grants); refusing a foreign Origin as well closes the door twice.
    if (ctx.origin !== null && ctx.origin !== ctx.selfOrigin) throw forbidden('Cross-origin use of the refresh cookie refused');
    return cookie;
  }

  private async refuse(
    login: string,
    account: Account | undefined,
    throttleKey: string | undefined,
    reason: string,
    answer: { message: string; reason?: string } = { message: INVALID_LOGIN },
  ): Promise<never> {
    const ctx = requestContext();
    const lock = await this.throttle.fail(throttleKey, ctx.ip ?? undefined, { protocol: 'api' });
    let operatorLocked = false;
    if (account?.actor.kind === 'operator') {
      operatorLocked = (await recordOperatorFailure(this.dataSource, account.actor.id, ctx.ip, { maxFailures: this.config.authMaxFailuresAccount, lockoutMs: this.config.authLockout })).locked;
    }
    ctx.logger.warn('login refused', { reason, ...this.loginField(login), ...(lock.locked || operatorLocked ? { locked: lock.scope ?? 'operator' } : {}) });
    await sleep(this.config.authFailureDelay);
    throw new DomainError('UNAUTHENTICATED', answer.message, answer.reason ? { reason: answer.reason } : undefined);
  }

  private loginField(login: string): Record<string, string> {
    return login.includes('@') ? { login: login.slice(0, 254) } : {};
  }

  /** A real argon2id hash of a random password, made once: verifying against it costs what a real check costs. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}
