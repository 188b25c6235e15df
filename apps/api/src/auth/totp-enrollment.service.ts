import { Inject, Injectable } from '@nestjs/common';
import { conflict, DomainError, forbidden, notFound } from '@darwin/core';
import { OperatorEntity, OperatorRecoveryCodeEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { API_SETTINGS, DATA_SOURCE } from '../common/tokens.js';
import type { ApiSettings } from '../config/api-settings.js';
import { ownOperatorAccount } from './actor.js';
import { AccountLookup } from './account-lookup.js';
import { RefreshTokens } from './refresh-tokens.js';
import { currentActor } from './request-context.js';
import { SecondFactor } from './second-factor.js';
import { Sessions, type Session } from './sessions.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';

export const TOTP_ISSUER = 'Darwin Mail';

/**
 * An operator's own TOTP second factor: begin (a new secret, not yet active), confirm with a first
 * code (active; recovery codes shown once; a full session replaces an enrolment-only one), disable
 * (with a code; refused when the provider makes TOTP mandatory). An admin can reset another
 * operator's factor when a device is lost.
 */
@Injectable()
export class TotpEnrollmentService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    private readonly audit: AuditService,
    private readonly accounts: AccountLookup,
    private readonly secondFactor: SecondFactor,
    private readonly sessions: Sessions,
    private readonly refreshTokens: RefreshTokens,
    private readonly scoped: ScopedRepositories,
  ) {}

  async begin(): Promise<{ secret: string; otpauthUri: string }> {
    const actor = ownOperatorAccount(currentActor());
    const secret = newTotpSecret();
    await this.dataSource.transaction(async (m) => {
      const op = await m.findOne(OperatorEntity, { where: { id: actor.id }, lock: { mode: 'pessimistic_write' } });
      if (!op) throw notFound('Operator');
      if (op.totpEnabled) throw conflict('TOTP is already enabled; disable it first');
      await m.update(OperatorEntity, { id: actor.id }, { totpSecret: secret, totpLastStep: null });
      await this.audit.record(m, { action: 'operator.totp_begin', targetType: 'operator', targetId: actor.id, tenantId: actor.tenantId });
    });
    return { secret, otpauthUri: otpauthUri(secret, actor.email, TOTP_ISSUER) };
  }

  async confirm(code: string): Promise<{ recoveryCodes: string[]; session: Session }> {
    const actor = ownOperatorAccount(currentActor());
    const result = await this.dataSource.transaction(async (m) => {
      const op = await m.findOne(OperatorEntity, { where: { id: actor.id }, lock: { mode: 'pessimistic_write' } });
      if (!op?.totpSecret) throw conflict('Begin the TOTP enrolment first');
      if (op.totpEnabled) throw conflict('TOTP is already enabled');
      const step = verifyTotp(op.totpSecret, code, Date.now(), null);
      if (step === undefined) throw new DomainError('VALIDATION', 'Wrong TOTP code', { field: 'code' });
      await m.update(OperatorEntity, { id: actor.id }, { totpEnabled: true, totpLastStep: String(step) });
      const recoveryCodes = await this.secondFactor.newRecoveryCodes(m, actor.id);
      // Sessions opened with the password alone end: from now on they need the second factor.
      await this.refreshTokens.revokeAllFor(m, { kind: 'operator', id: actor.id });
      await this.audit.record(m, { action: 'operator.totp_enable', targetType: 'operator', targetId: actor.id, tenantId: actor.tenantId });
      const { totpEnrollmentPending: _ignored, ...enrolled } = actor;
      const session = await this.sessions.start(m, enrolled);
      return { recoveryCodes, session };
    });
    return result;
  }

  async disable(code: string): Promise<boolean> {
    const actor = ownOperatorAccount(currentActor());
    if (this.settings.operatorTotp === 'required') throw forbidden('The provider requires a TOTP second factor');
    const account = await this.accounts.operatorById(actor.id);
    if (!account?.totp?.enabled) throw conflict('TOTP is not enabled');
    if (!(await this.secondFactor.verify(actor.id, code))) throw new DomainError('VALIDATION', 'Wrong TOTP or recovery code', { field: 'code' });
    await this.dataSource.transaction(async (m) => {
      await m.update(OperatorEntity, { id: actor.id }, { totpEnabled: false, totpSecret: null, totpLastStep: null });
      await m.delete(OperatorRecoveryCodeEntity, { operatorId: actor.id });
      await this.audit.record(m, { action: 'operator.totp_disable', targetType: 'operator', targetId: actor.id, tenantId: actor.tenantId });
    });
    return true;
  }

  /** An admin clears another operator's second factor (lost device); that operator's sessions end. */
  async reset(operatorId: string): Promise<OperatorEntity> {
    return this.dataSource.transaction(async (m) => {
      const op = await this.scoped.operators(m).getForUpdate(operatorId);
      await m.update(OperatorEntity, { id: op.id }, { totpEnabled: false, totpSecret: null, totpLastStep: null });
      await m.delete(OperatorRecoveryCodeEntity, { operatorId: op.id });
      await this.refreshTokens.revokeAllFor(m, { kind: 'operator', id: op.id });
      await this.audit.record(m, { action: 'operator.totp_reset', targetType: 'operator', targetId: op.id, tenantId: op.tenantId, before: { totpEnabled: op.totpEnabled }, after: { totpEnabled: false } });
      return { ...op, totpEnabled: false, totpSecret: null, totpLastStep: null } as OperatorEntity;
    });
  }

  /** For the `me` query: whether TOTP is on, and how many recovery codes are left. */
  async status(operatorId: string): Promise<{ enabled: boolean; recoveryCodesLeft: number; required: boolean }> {
    const account = await this.accounts.operatorById(operatorId);
    return {
      enabled: account?.totp?.enabled ?? false,
      recoveryCodesLeft: account?.totp?.enabled ? await this.secondFactor.remainingRecoveryCodes(operatorId) : 0,
      required: this.settings.operatorTotp === 'required',
    };
  }
}

