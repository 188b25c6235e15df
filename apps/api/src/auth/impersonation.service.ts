import { Inject, Injectable } from '@nestjs/common';
import { DomainError, forbidden } from '@darwin/core';
import { ImpersonationSessionEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { API_SETTINGS, DATA_SOURCE } from '../common/tokens.js';
import { isUuid, requireText } from '../common/validate.js';
import { MAX_IMPERSONATION_TTL_MS, type ApiSettings } from '../config/api-settings.js';
import { impersonationOf, type TenantAdmin } from './actor.js';
import { AccountLookup } from './account-lookup.js';
import { signAccessToken, type AccessClaims } from './jwt.js';
import { currentActor } from './request-context.js';
import { Sessions } from './sessions.js';

/** Longest reason kept for acting as a tenant admin. */
export const MAX_IMPERSONATION_REASON = 500;

export interface ImpersonationGrant {
  readonly token: string;
  readonly expiresAt: Date;
  /** The tenant admin the token stands for (the platform admin's id and e-mail, with the session). */
  readonly actor: TenantAdmin;
}

interface SessionRow {
  id: string;
  operator_id: string;
  tenant_id: string;
  reason: string;
  started_at: Date;
  expires_at: Date;
}

/**
 * A platform admin acting as the admin of one tenant. `start` records why (audit `tenant.impersonate`),
 * keeps a session row and answers a short-lived access token (no refresh token) of role tenant_admin
 * for that tenant, with an RFC 8693 `act` claim naming the platform admin and `sid` the session.
 * Such a token is accepted (`resolve`, on every request like any access token) only while its
 * session is open and unexpired and its operator still exists, is a platform admin and may sign in;
 * `stop` ends the session at once. Everything done with it is audited under the platform admin with
 * the session's id (`audit_log.impersonation_id`).
 */
@Injectable()
export class ImpersonationService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
    private readonly accounts: AccountLookup,
    private readonly sessions: Sessions,
  ) {}

  async start(tenantId: string, reason: string): Promise<ImpersonationGrant> {
    const actor = currentActor();
    // A person: an API key has nobody to hold accountable, and acting twice over is refused too.
    if (actor.kind !== 'operator' || actor.role !== 'platform_admin') throw forbidden('Only a platform admin signed in as a person can act as a tenant admin');
    const why = requireText(reason, 'reason', MAX_IMPERSONATION_REASON);
    const ttlMs = Math.min(this.settings.impersonationTtlMs, MAX_IMPERSONATION_TTL_MS);
    return this.dataSource.transaction(async (m) => {
      const tenant = await this.scoped.tenants(m).get(tenantId);
      const nowMs = Date.now();
      const iat = Math.floor(nowMs / 1000);
      const exp = Math.floor((nowMs + ttlMs) / 1000);
      const expiresAt = new Date(exp * 1000);
      const session = await m.save(m.create(ImpersonationSessionEntity, { operatorId: actor.id, tenantId: tenant.id, reason: why, expiresAt, endedAt: null }));
      const acting: TenantAdmin = {
        kind: 'operator',
        role: 'tenant_admin',
        id: actor.id,
        email: actor.email,
        tenantId: tenant.id,
        impersonation: { sessionId: session.id, reason: why, startedAt: session.startedAt, expiresAt },
      };
      await this.audit.record(
        m,
        { action: 'tenant.impersonate', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, after: { reason: why, tenantName: tenant.name, expiresAt: expiresAt.toISOString() } },
        acting,
      );
      const claims: AccessClaims = { sub: actor.id, role: 'tenant_admin', tid: tenant.id, iat, exp, act: { sub: actor.id }, sid: session.id };
      return { token: signAccessToken(claims, this.sessions.secret()), expiresAt, actor: acting };
    });
  }

  /** Ends the caller's impersonation session (the token stops working at once). */
  async stop(): Promise<boolean> {
    const actor = currentActor();
    const impersonation = impersonationOf(actor);
    if (!impersonation) throw new DomainError('FORBIDDEN', 'Not acting as a tenant admin', { reason: 'NOT_IMPERSONATING' });
    return this.dataSource.transaction(async (m) => {
      const [, ended] = await m.query(`UPDATE impersonation_sessions SET ended_at = now() WHERE id = $1 AND ended_at IS NULL`, [impersonation.sessionId]);
      if (!ended) return false;
      await this.audit.record(m, { action: 'tenant.impersonate.end', targetType: 'tenant', targetId: actor.tenantId, tenantId: actor.tenantId });
      return true;
    });
  }

  /**
   * The actor of a verified impersonation token, or undefined when the claims do not hang together,
   * the session is ended or expired, or its operator is gone, locked, no longer a platform admin or
   * must first enrol TOTP.
   */
  async resolve(claims: AccessClaims): Promise<TenantAdmin | undefined> {
    const { sub, role, tid, act, sid, iat, exp, enr } = claims;
    if (role !== 'tenant_admin' || !tid || !act || act.sub !== sub || !sid || enr) return undefined;
    if (!isUuid(sub) || !isUuid(tid) || !isUuid(sid) || (exp - iat) * 1000 > MAX_IMPERSONATION_TTL_MS) return undefined;
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT id, operator_id, tenant_id, reason, started_at, expires_at FROM impersonation_sessions
        WHERE id = $1 AND ended_at IS NULL AND expires_at > now()`,
      [sid],
    );
    const session = rows[0];
    if (!session || session.operator_id !== sub || session.tenant_id !== tid) return undefined;
    const account = await this.accounts.operatorById(sub);
    if (!account || account.blocked !== undefined || account.actor.role !== 'platform_admin' || account.actor.totpEnrollmentPending) return undefined;
    return {
      kind: 'operator',
      role: 'tenant_admin',
      id: account.actor.id,
      email: account.actor.email,
      tenantId: tid,
      impersonation: { sessionId: session.id, reason: session.reason, startedAt: session.started_at, expiresAt: session.expires_at },
    };
  }
}
