import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { CreatePlanInput, UpdatePlanInput } from './dto/plan.inputs.js';
import { PlansArgs } from './dto/plans.args.js';
import { PlanService } from './plan.service.js';
import { Plan, PlanConnection, toPlan } from './plan.type.js';

@Resolver(() => Plan)
export class PlanResolver {
  constructor(private readonly service: PlanService) {}

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => PlanConnection, { description: "All plans for the platform admin; a tenant admin sees its tenant's plan." })
  async plans(@Args() args: PlansArgs): Promise<PlanConnection> {
    return toConnection(await this.service.list(args), toPlan);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => Plan)
  async plan(@Args('id', { type: () => ID }) id: string): Promise<Plan> {
    return toPlan(await this.service.get(id));
  }

  @Allow('platform_admin')
  @Mutation(() => Plan)
  async createPlan(@Args('input', { type: () => CreatePlanInput }) input: CreatePlanInput): Promise<Plan> {
    return toPlan(await this.service.create(input));
  }

  @Allow('platform_admin')
  @Mutation(() => Plan, { description: 'Changes apply to every tenant on the plan.' })
  async updatePlan(@Args('id', { type: () => ID }) id: string, @Args('input', { type: () => UpdatePlanInput }) input: UpdatePlanInput): Promise<Plan> {
    return toPlan(await this.service.update(id, input));
  }

  @Allow('platform_admin')
  @Mutation(() => Plan, { description: 'Refused with CONFLICT while tenants are on the plan.' })
  async deletePlan(@Args('id', { type: () => ID }) id: string): Promise<Plan> {
    return toPlan(await this.service.delete(id));
  }
}
