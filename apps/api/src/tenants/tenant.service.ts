import { Inject, Injectable } from '@nestjs/common';
import { conflict, notFound, validation } from '@darwin/core';
import { DEFAULT_PLAN_NAME, PlanEntity, TenantEntity, type DataSource, type EntityManager } from '@darwin/db';
import type { SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../common/audit.service.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { limitExceeded } from '../common/limits.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { containsPattern, isUuid, optionalText, requireText, uuidOrNone } from '../common/validate.js';
import { cancelPendingOutbound, deleteMailboxesWithMail } from '../mailboxes/mail-removal.js';
import { UsageService } from '../usage/usage.service.js';
import type { CreateTenantInput } from './dto/create-tenant.input.js';
import { TenantOrderField, type DeleteTenantInput, type UpdateTenantInput } from './dto/tenant.inputs.js';
import type { TenantsArgs } from './dto/tenants.args.js';
import { tenantAuditView, type TenantDeletion } from './tenant.type.js';

export const MAX_TENANT_NAME = 200;
export const MAX_EXTERNAL_ID = 200;
export const MAX_REASON = 500;

const withPlan = (qb: SelectQueryBuilder<TenantEntity>) => {
  qb.innerJoinAndSelect(`${qb.alias}.plan`, 'joined_plan');
};

const SORTABLE: SortableFields<TenantOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  NAME: { property: 'name', kind: 'text' },
};

/**
 * Tenants: the provider's customers. Every change is a platform admin's (see the resolver); a
 * tenant admin reads its own tenant only.
 */
@Injectable()
export class TenantService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
    private readonly usage: UsageService,
  ) {}

  /** Loaded with its plan. */
  get(id: string): Promise<TenantEntity> {
    return this.scoped.tenants().get(id, withPlan);
  }

  list(args: TenantsArgs): Promise<Page<TenantEntity>> {
    return this.scoped.tenants().page(
      args,
      (qb) => {
        withPlan(qb);
        const a = qb.alias;
        if (args.status) qb.andWhere(`${a}.status = :status`, { status: args.status });
        if (args.nameContains) qb.andWhere(`${a}.name ILIKE :name`, { name: containsPattern(args.nameContains) });
        if (args.externalId != null) qb.andWhere(`${a}.externalId = :externalId`, { externalId: args.externalId });
        if (args.planId != null) qb.andWhere(`${a}.planId = :planId`, { planId: uuidOrNone(args.planId) });
      },
      sortSpec(SORTABLE, args.orderBy, { field: TenantOrderField.CREATED_AT, direction: 'ASC' }),
    );
  }

  async create(input: CreateTenantInput): Promise<TenantEntity> {
    const name = requireText(input.name, 'name', MAX_TENANT_NAME);
    const externalId = optionalText(input.externalId, 'externalId', MAX_EXTERNAL_ID);
    return this.dataSource.transaction(async (m) => {
      const plan = await this.planFor(m, input.planId);
      if (externalId && (await m.existsBy(TenantEntity, { externalId }))) throw conflict('A tenant with this externalId exists', { field: 'externalId' });
      const tenant = await uniqueOrConflict(
        m.save(m.create(TenantEntity, { name, planId: plan.id, status: 'active', externalId, suspensionReason: null })),
        'A tenant with this externalId exists',
        { field: 'externalId' },
      );
      tenant.plan = plan;
      await this.audit.record(m, { action: 'tenant.create', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, after: tenantAuditView(tenant) });
      return tenant;
    });
  }

  async update(id: string, input: UpdateTenantInput): Promise<TenantEntity> {
    const name = input.name == null ? undefined : requireText(input.name, 'name', MAX_TENANT_NAME);
    const externalId = input.externalId == null ? undefined : optionalText(input.externalId, 'externalId', MAX_EXTERNAL_ID);
    return this.change(id, 'tenant.update', async (m, tenant) => {
      if (name !== undefined) tenant.name = name;
      if (externalId !== undefined) {
        if (externalId && (await m.createQueryBuilder(TenantEntity, 't').where('t.externalId = :externalId AND t.id <> :id', { externalId, id: tenant.id }).getExists())) {
          throw conflict('A tenant with this externalId exists', { field: 'externalId' });
        }
        tenant.externalId = externalId;
      }
    });
  }

  /**
   * Moves the tenant to another plan. Refused with LIMIT_EXCEEDED (and the numbers) when what the
   * tenant already has does not fit the new plan's counts or storage.
   */
  async changePlan(id: string, planId: string): Promise<TenantEntity> {
    return this.change(id, 'tenant.change_plan', async (m, tenant) => {
      const plan = await this.planFor(m, planId);
      const c = await this.usage.counts(m, tenant.id);
      const checks: [string, number, number][] = [
        ['maxDomains', plan.maxDomains, c.domains],
        ['maxMailboxes', plan.maxMailboxes, c.mailboxes],
        ['maxAliases', plan.maxAliases, c.aliases],
        ['storageBytes', plan.storageBytes, c.allocatedBytes],
      ];
      for (const [limit, max, current] of checks) {
        if (current > max) throw limitExceeded(limit, max, { current }, `The tenant has ${current} where the plan "${plan.name}" allows ${max} (${limit})`);
      }
      const [{ biggest }] = await m.query(`SELECT coalesce(max(quota_bytes), 0)::bigint AS biggest FROM mailboxes WHERE tenant_id = $1`, [tenant.id]);
      if (Number(biggest) > plan.maxMailboxQuotaBytes) {
        throw limitExceeded('maxMailboxQuotaBytes', plan.maxMailboxQuotaBytes, { current: Number(biggest) }, 'A mailbox quota is larger than the plan allows');
      }
      tenant.planId = plan.id;
      tenant.plan = plan;
    });
  }

  /** Mailbox logins, and the engine's delivery and sending for the tenant, stop while suspended. */
  async suspend(id: string, reason: string): Promise<TenantEntity> {
    const why = requireText(reason, 'reason', MAX_REASON);
    return this.change(id, 'tenant.suspend', async (_m, tenant) => {
      tenant.status = 'suspended';
      tenant.suspensionReason = why;
    });
  }

  async unsuspend(id: string): Promise<TenantEntity> {
    return this.change(id, 'tenant.unsuspend', async (_m, tenant) => {
      tenant.status = 'active';
      tenant.suspensionReason = null;
    });
  }

  /**
   * Deletes the tenant and everything it has: domains, mailboxes and their stored mail (blobs given
   * back), aliases, operators, API keys; outbound mail not yet sent is cancelled. The audit rows
   * stay (audit_log has no foreign key on purpose).
   */
  async delete(input: DeleteTenantInput): Promise<TenantDeletion> {
    return this.dataSource.transaction(async (m) => {
      const tenant = await this.scoped.tenants(m).getForUpdate(input.id);
      if (input.confirmName !== tenant.name) throw validation("confirmName must be the tenant's exact name", { field: 'confirmName' });
      const [{ domains }] = await m.query(`SELECT count(*)::int AS domains FROM domains WHERE tenant_id = $1`, [tenant.id]);
      const outboundCancelled = await cancelPendingOutbound(m, tenant.id);
      const removed = await deleteMailboxesWithMail(m, 'm.tenant_id = $1', [tenant.id]);
      await m.delete(TenantEntity, { id: tenant.id });
      const result: TenantDeletion = {
        tenantId: tenant.id,
        domainsDeleted: domains,
        mailboxesDeleted: removed.mailboxes,
        messagesDeleted: removed.messages,
        bytesDeleted: removed.bytes,
        outboundCancelled,
      };
      await this.audit.record(m, {
        action: 'tenant.delete',
        targetType: 'tenant',
        targetId: tenant.id,
        tenantId: tenant.id,
        before: tenantAuditView(tenant),
        after: { ...result },
      });
      return result;
    });
  }

  /** Lock, change, save, audit (before/after) in one transaction; answers the tenant with its plan. */
  private change(id: string, action: string, apply: (m: EntityManager, tenant: TenantEntity) => Promise<void>): Promise<TenantEntity> {
    return this.dataSource.transaction(async (m) => {
      const tenant = await this.scoped.tenants(m).getForUpdate(id);
      const before = tenantAuditView(tenant);
      await apply(m, tenant);
      const { plan: _plan, ...columns } = tenant;
      await m.save(TenantEntity, columns);
      const saved = await m.findOneOrFail(TenantEntity, { where: { id: tenant.id }, relations: { plan: true } });
      await this.audit.record(m, { action, targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, before, after: tenantAuditView(saved) });
      return saved;
    });
  }

  private async planFor(m: EntityManager, planId: string | null | undefined): Promise<PlanEntity> {
    const plan =
      planId === null || planId === undefined
        ? await m.findOneBy(PlanEntity, { name: DEFAULT_PLAN_NAME })
        : isUuid(planId)
          ? await m.findOneBy(PlanEntity, { id: planId })
          : null;
    if (!plan) throw notFound('Plan');
    return plan;
  }
}
