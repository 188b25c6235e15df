import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { PageArgs, toConnection } from '../common/connection.js';
import { PlanService } from './plan.service.js';
import { Plan, PlanConnection, toPlan } from './plan.type.js';

@Resolver(() => Plan)
export class PlanResolver {
  constructor(private readonly service: PlanService) {}

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => PlanConnection, { description: "All plans for the platform admin; a tenant admin sees its tenant's plan." })
  async plans(@Args() args: PageArgs): Promise<PlanConnection> {
    return toConnection(await this.service.list(args), toPlan);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => Plan)
  async plan(@Args('id', { type: () => ID }) id: string): Promise<Plan> {
    return toPlan(await this.service.get(id));
  }
}
