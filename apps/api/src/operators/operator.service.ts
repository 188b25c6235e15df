import { Inject, Injectable } from '@nestjs/common';
import { conflict, forbidden, hashPassword, normalizeAddress, passwordProblem, validation } from '@darwin/core';
import { OperatorEntity, type DataSource } from '@darwin/db';
import { currentActor } from '../auth/request-context.js';
import { AuditService } from '../common/audit.service.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { containsPattern, optionalText, uuidOrNone } from '../common/validate.js';
import { OperatorOrderField, type CreateOperatorInput, type OperatorsArgs } from './dto/operator.inputs.js';
import { operatorAuditView, OperatorRole, ROLE_TO_DB } from './operator.type.js';

const SORTABLE: SortableFields<OperatorOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  EMAIL: { property: 'email', kind: 'text' },
};

@Injectable()
export class OperatorService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  get(id: string): Promise<OperatorEntity> {
    return this.scoped.operators().get(id);
  }

  list(args: OperatorsArgs): Promise<Page<OperatorEntity>> {
    return this.scoped.operators().page(
      args,
      (qb) => {
        const a = qb.alias;
        if (args.tenantId != null) qb.andWhere(`${a}.tenantId = :tenantId`, { tenantId: uuidOrNone(args.tenantId) });
        if (args.role) qb.andWhere(`${a}.role = :role`, { role: ROLE_TO_DB[args.role] });
        if (args.emailContains) qb.andWhere(`${a}.email ILIKE :email`, { email: containsPattern(args.emailContains.trim().toLowerCase()) });
      },
      sortSpec(SORTABLE, args.orderBy, { field: OperatorOrderField.CREATED_AT, direction: 'ASC' }),
    );
  }

  async create(input: CreateOperatorInput): Promise<OperatorEntity> {
    const actor = currentActor();
    const email = normalizeAddress(input.email);
    if (!email) throw validation('Invalid e-mail address', { field: 'email' });
    const problem = passwordProblem(input.password);
    if (problem) throw validation(`Password ${problem}`, { field: 'password' });
    const displayName = optionalText(input.displayName, 'displayName', 200);
    if (input.role === OperatorRole.PLATFORM_ADMIN) {
      if (actor.role !== 'platform_admin') throw forbidden('Only platform admins create platform admins');
      if (input.tenantId != null) throw validation('A platform admin belongs to no tenant', { field: 'tenantId' });
    }
    const tenantInput = input.role === OperatorRole.TENANT_ADMIN ? (input.tenantId ?? actor.tenantId) : null;
    if (input.role === OperatorRole.TENANT_ADMIN && !tenantInput) throw validation('A tenant admin needs a tenantId', { field: 'tenantId' });
    // Access (another tenant reads as NOT_FOUND) before the deliberately slow hash.
    if (tenantInput) await this.scoped.tenants().get(tenantInput);
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (m) => {
      const tenantId = tenantInput ? (await this.scoped.tenants(m).get(tenantInput)).id : null;
      if (await m.existsBy(OperatorEntity, { email })) throw conflict('An operator with this e-mail exists', { field: 'email' });
      const op = await uniqueOrConflict(
        m.save(m.create(OperatorEntity, { email, passwordHash, role: ROLE_TO_DB[input.role], tenantId, displayName })),
        'An operator with this e-mail exists',
        { field: 'email' },
      );
      await this.audit.record(m, { action: 'operator.create', targetType: 'operator', targetId: op.id, tenantId, after: operatorAuditView(op) });
      return op;
    });
  }

  /** The last platform admin cannot be deleted (nobody could run the platform any more). */
  async delete(id: string): Promise<OperatorEntity> {
    return this.dataSource.transaction(async (m) => {
      const op = await this.scoped.operators(m).getForUpdate(id);
      if (op.role === 'platform_admin') {
        await m.query(`SELECT id FROM operators WHERE role = 'platform_admin' FOR UPDATE`);
        if ((await m.countBy(OperatorEntity, { role: 'platform_admin' })) <= 1) throw conflict('The last platform admin cannot be deleted');
      }
      await m.delete(OperatorEntity, { id: op.id });
      await this.audit.record(m, { action: 'operator.delete', targetType: 'operator', targetId: op.id, tenantId: op.tenantId, before: operatorAuditView(op) });
      return op;
    });
  }

  /** Lifts a lock set after failed logins. */
  async unlock(id: string): Promise<OperatorEntity> {
    return this.dataSource.transaction(async (m) => {
      const op = await this.scoped.operators(m).getForUpdate(id);
      await m.update(OperatorEntity, { id: op.id }, { lockedUntil: null, failedLogins: 0 });
      await this.audit.record(m, { action: 'operator.unlock', targetType: 'operator', targetId: op.id, tenantId: op.tenantId, before: { lockedUntil: op.lockedUntil }, after: { lockedUntil: null } });
      return { ...op, lockedUntil: null, failedLogins: 0 } as OperatorEntity;
    });
  }
}
