import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@darwin/core';
import { DEFAULT_PLAN_NAME, PlanEntity, TenantEntity, type DataSource, type EntityManager } from '@darwin/db';
import type { SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../common/audit.service.js';
import type { Page } from '../common/connection.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { isUuid, requireText } from '../common/validate.js';
import type { CreateTenantInput } from './dto/create-tenant.input.js';
import type { TenantsArgs } from './dto/tenants.args.js';
import { tenantAuditView } from './tenant.type.js';

export const MAX_TENANT_NAME = 200;

const withPlan = (qb: SelectQueryBuilder<TenantEntity>) => {
  qb.innerJoinAndSelect(`${qb.alias}.plan`, 'joined_plan');
};

@Injectable()
export class TenantService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  /** Loaded with its plan. */
  get(id: string): Promise<TenantEntity> {
    return this.scoped.tenants().get(id, withPlan);
  }

  list(args: TenantsArgs): Promise<Page<TenantEntity>> {
    return this.scoped.tenants().page(args, withPlan);
  }

  /** Platform admins only (see the resolver). */
  async create(input: CreateTenantInput): Promise<TenantEntity> {
    const name = requireText(input.name, 'name', MAX_TENANT_NAME);
    return this.dataSource.transaction(async (m) => {
      const plan = await this.planFor(m, input.planId);
      const tenant = await m.save(m.create(TenantEntity, { name, planId: plan.id, status: 'active', externalId: null, suspensionReason: null }));
      tenant.plan = plan;
      await this.audit.record(m, { action: 'tenant.create', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, after: tenantAuditView(tenant) });
      return tenant;
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
