import { Inject, Injectable } from '@nestjs/common';
import { conflict } from '@darwin/core';
import { PlanEntity, TenantEntity, type DataSource } from '@darwin/db';
import { AuditService } from '../common/audit.service.js';
import { sortSpec, type Page, type SortableFields } from '../common/connection.js';
import { uniqueOrConflict } from '../common/db-errors.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { containsPattern, requireText } from '../common/validate.js';
import { PlanOrderField, type CreatePlanInput, type UpdatePlanInput } from './dto/plan.inputs.js';
import type { PlansArgs } from './dto/plans.args.js';
import { limitsAfterUpdate, limitsForNewPlan } from './plan-limits.js';
import { planAuditView } from './plan.type.js';

export const MAX_PLAN_NAME = 100;

const SORTABLE: SortableFields<PlanOrderField> = {
  CREATED_AT: { property: 'createdAt', kind: 'time' },
  NAME: { property: 'name', kind: 'text' },
};

@Injectable()
export class PlanService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
    private readonly audit: AuditService,
  ) {}

  list(args: PlansArgs): Promise<Page<PlanEntity>> {
    return this.scoped.plans().page(
      args,
      (qb) => {
        if (args.nameContains) qb.andWhere(`${qb.alias}.name ILIKE :name`, { name: containsPattern(args.nameContains) });
      },
      sortSpec(SORTABLE, args.orderBy, { field: PlanOrderField.CREATED_AT, direction: 'ASC' }),
    );
  }

  get(id: string): Promise<PlanEntity> {
    return this.scoped.plans().get(id);
  }

  /** Platform admins only (see the resolver). */
  async create(input: CreatePlanInput): Promise<PlanEntity> {
    const name = requireText(input.name, 'name', MAX_PLAN_NAME);
    const limits = limitsForNewPlan(input);
    return this.dataSource.transaction(async (m) => {
      if (await m.existsBy(PlanEntity, { name })) throw conflict('A plan with this name exists', { field: 'name' });
      const plan = await uniqueOrConflict(m.save(m.create(PlanEntity, { name, ...limits })), 'A plan with this name exists', { field: 'name' });
      await this.audit.record(m, { action: 'plan.create', targetType: 'plan', targetId: plan.id, tenantId: null, after: planAuditView(plan) });
      return plan;
    });
  }

  /**
   * Changes apply to every tenant on the plan at once. Lowering a limit below what a tenant already
   * uses is allowed (the provider decides): existing objects stay, new ones are refused.
   */
  async update(id: string, input: UpdatePlanInput): Promise<PlanEntity> {
    const name = input.name == null ? undefined : requireText(input.name, 'name', MAX_PLAN_NAME);
    return this.dataSource.transaction(async (m) => {
      const plan = await this.scoped.plans(m).getForUpdate(id);
      const before = planAuditView(plan);
      const limits = limitsAfterUpdate(plan, input);
      Object.assign(plan, limits, name ? { name } : {});
      const saved = await uniqueOrConflict(m.save(plan), 'A plan with this name exists', { field: 'name' });
      await this.audit.record(m, { action: 'plan.update', targetType: 'plan', targetId: plan.id, tenantId: null, before, after: planAuditView(saved) });
      return saved;
    });
  }

  /** A plan that tenants are on cannot be deleted: CONFLICT with their number. */
  async delete(id: string): Promise<PlanEntity> {
    return this.dataSource.transaction(async (m) => {
      const plan = await this.scoped.plans(m).getForUpdate(id);
      const tenants = await m.countBy(TenantEntity, { planId: plan.id });
      if (tenants > 0) throw conflict(`${tenants} tenants are on this plan; move them first`, { tenants });
      await m.delete(PlanEntity, { id: plan.id });
      await this.audit.record(m, { action: 'plan.delete', targetType: 'plan', targetId: plan.id, tenantId: null, before: planAuditView(plan) });
      return plan;
    });
  }
}
