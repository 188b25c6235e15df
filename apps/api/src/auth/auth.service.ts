import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Config } from '@darwin/config';
import { DomainError, hashPassword, parseAddress, verifyPassword } from '@darwin/core';
import { MailboxEntity, OperatorEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { CONFIG, DATA_SOURCE } from '../common/tokens.js';
import { isUuid } from '../common/validate.js';
import type { Actor } from './actor.js';
import { signAccessToken, verifyAccessToken } from './jwt.js';
import { requestContext } from './request-context.js';

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: Date;
  readonly actor: Actor;
}

interface Account {
  readonly actor: Actor;
  readonly passwordHash: string;
  /** Why this account may not log in now, even with the right password. */
  readonly blocked?: string;
}

interface OperatorRow {
  id: string;
  email: string;
  role: string;
  tenant_id: string | null;
  password_hash: string;
  locked_until: Date | null;
}

interface MailboxRow {
  id: string;
  address: string;
  tenant_id: string;
  password_hash: string;
  login_suspended: boolean;
  domain_status: string;
  tenant_status: string;
}

/** Longest identifier worth looking up (RFC 5321 caps an address at 254 octets). */
const MAX_LOGIN_LENGTH = 320;
const INVALID_LOGIN = 'Invalid email or password';

/**
 * Password login and access-token resolution. Operators are looked up first, then mailboxes; the
 * password is checked against exactly one hash (the account's, or a dummy one when no account
 * matches), so the answer takes as long whether the account exists or not, and every refusal reads
 * the same.
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: Config,
    private readonly audit: AuditService,
  ) {}

  /** Made at start, so the first login for an unknown account is not slower than the others. */
  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  async login(email: string, password: string): Promise<LoginResult> {
    const account = await this.findAccount(email);
    const passwordOk = await verifyPassword(account?.passwordHash ?? (await this.dummy()), password);
    const refusal = !account ? 'no such account' : !passwordOk ? 'wrong password' : account.blocked;
    if (refusal !== undefined) {
      requestContext().logger.warn('login refused', { reason: refusal, ...(email.includes('@') ? { login: email.slice(0, 254) } : {}) });
      await sleep(this.config.authFailureDelay);
      throw new DomainError('UNAUTHENTICATED', INVALID_LOGIN);
    }
    const actor = account!.actor;
    const nowMs = Date.now();
    const exp = Math.floor((nowMs + this.config.accessTokenTtl) / 1000);
    const token = signAccessToken({ sub: actor.id, role: actor.role, tid: actor.tenantId, iat: Math.floor(nowMs / 1000), exp }, this.secret());

    await this.dataSource.transaction(async (m) => {
      const table = actor.kind === 'operator' ? OperatorEntity : MailboxEntity;
      await m.update(table, { id: actor.id }, { lastLoginAt: new Date(nowMs) });
      await this.audit.record(m, { action: 'auth.login', targetType: actor.kind, targetId: actor.id, tenantId: actor.tenantId }, actor);
    });
    return { token, expiresAt: new Date(exp * 1000), actor };
  }

  /**
   * The actor a bearer token stands for, or undefined when the token is invalid or expired, or its
   * account no longer exists, changed role or may no longer log in. One indexed lookup per request,
   * so deleting or suspending an account takes effect at once rather than when its token expires.
   */
  async resolveToken(token: string): Promise<Actor | undefined> {
    const result = verifyAccessToken(token, this.secret());
    if (!result.ok || !isUuid(result.claims.sub)) return undefined;
    const { sub, role, tid } = result.claims;
    const account = role === 'mailbox_owner' ? await this.mailboxById(sub) : await this.operatorById(sub);
    if (!account || account.blocked !== undefined) return undefined;
    if (account.actor.role !== role || account.actor.tenantId !== tid) return undefined;
    return account.actor;
  }

  private secret(): string {
    const secret = this.config.jwtSecret;
    if (!secret) throw new Error('DARWIN_JWT_SECRET is required');
    return secret;
  }

  /** A real argon2id hash of a random password, made once: verifying against it costs what a real check costs. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }

  private async findAccount(login: string): Promise<Account | undefined> {
    const email = login.trim().toLowerCase();
    if (email.length === 0 || email.length > MAX_LOGIN_LENGTH) return undefined;
    const operator = await this.operatorWhere('email = $1', email);
    if (operator) return operator;
    const address = parseAddress(email);
    return address ? this.mailboxWhere('m.address = $1', address.address) : undefined;
  }

  private operatorById(id: string): Promise<Account | undefined> {
    return this.operatorWhere('id = $1', id);
  }

  private mailboxById(id: string): Promise<Account | undefined> {
    return this.mailboxWhere('m.id = $1', id);
  }

  private async operatorWhere(condition: string, value: string): Promise<Account | undefined> {
    const rows: OperatorRow[] = await this.dataSource.query(
      `SELECT id, email, role, tenant_id, password_hash, locked_until FROM operators WHERE ${condition}`,
      [value],
    );
    const row = rows[0];
    if (!row) return undefined;
    const blocked = row.locked_until && row.locked_until.getTime() > Date.now() ? 'operator locked' : undefined;
    const base = { kind: 'operator', id: row.id, email: row.email } as const;
    let actor: Actor;
    if (row.role === 'platform_admin') actor = { ...base, role: 'platform_admin', tenantId: null };
    else if (row.role === 'tenant_admin' && row.tenant_id) actor = { ...base, role: 'tenant_admin', tenantId: row.tenant_id };
    else return undefined;
    return { actor, passwordHash: row.password_hash, ...(blocked ? { blocked } : {}) };
  }

  private async mailboxWhere(condition: string, value: string): Promise<Account | undefined> {
    const rows: MailboxRow[] = await this.dataSource.query(
      `SELECT m.id, m.address, m.tenant_id, m.password_hash, m.login_suspended,
              d.status AS domain_status, t.status AS tenant_status
         FROM mailboxes m
         JOIN domains d ON d.id = m.domain_id
         JOIN tenants t ON t.id = m.tenant_id
        WHERE ${condition}`,
      [value],
    );
    const row = rows[0];
    if (!row) return undefined;
    const blocked = row.login_suspended
      ? 'mailbox login suspended'
      : row.domain_status !== 'active'
        ? 'domain suspended'
        : row.tenant_status !== 'active'
          ? 'tenant suspended'
          : undefined;
    return {
      actor: { kind: 'mailbox', role: 'mailbox_owner', id: row.id, email: row.address, tenantId: row.tenant_id },
      passwordHash: row.password_hash,
      ...(blocked ? { blocked } : {}),
    };
  }
}
