import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { UsageService } from '../usage/usage.service.js';
import { TenantUsage } from '../usage/usage.type.js';
import { CreateTenantInput } from './dto/create-tenant.input.js';
import { DeleteTenantInput, UpdateTenantInput } from './dto/tenant.inputs.js';
import { TenantsArgs } from './dto/tenants.args.js';
import { TenantService } from './tenant.service.js';
import { Tenant, TenantConnection, TenantDeletion, toTenant } from './tenant.type.js';

@Resolver(() => Tenant)
export class TenantResolver {
  constructor(
    private readonly service: TenantService,
    private readonly usageService: UsageService,
  ) {}

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => TenantConnection, { description: 'All tenants for the platform admin; a tenant admin sees its own.' })
  async tenants(@Args() args: TenantsArgs): Promise<TenantConnection> {
    return toConnection(await this.service.list(args), (t) => toTenant(t));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => Tenant)
  async tenant(@Args('id', { type: () => ID }) id: string): Promise<Tenant> {
    return toTenant(await this.service.get(id));
  }

  @ResolveField(() => TenantUsage, { description: 'Counts and storage against the plan (one query per tenant: prefer tenantUsage for lists).' })
  usage(@Parent() tenant: Tenant): Promise<TenantUsage> {
    return this.usageService.tenantUsage(tenant.id);
  }

  @Allow('platform_admin')
  @Mutation(() => Tenant)
  async createTenant(@Args('input', { type: () => CreateTenantInput }) input: CreateTenantInput): Promise<Tenant> {
    return toTenant(await this.service.create(input));
  }

  @Allow('platform_admin')
  @Mutation(() => Tenant)
  async updateTenant(@Args('id', { type: () => ID }) id: string, @Args('input', { type: () => UpdateTenantInput }) input: UpdateTenantInput): Promise<Tenant> {
    return toTenant(await this.service.update(id, input));
  }

  @Allow('platform_admin')
  @Mutation(() => Tenant, { description: "Refused with LIMIT_EXCEEDED when the tenant's domains, mailboxes, aliases or storage do not fit the new plan." })
  async changeTenantPlan(@Args('id', { type: () => ID }) id: string, @Args('planId', { type: () => ID }) planId: string): Promise<Tenant> {
    return toTenant(await this.service.changePlan(id, planId));
  }

  @Allow('platform_admin')
  @Mutation(() => Tenant, { description: "Stops the tenant's mailbox logins and its mail (the engine refuses it) until unsuspended." })
  async suspendTenant(@Args('id', { type: () => ID }) id: string, @Args('reason', { type: () => String }) reason: string): Promise<Tenant> {
    return toTenant(await this.service.suspend(id, reason));
  }

  @Allow('platform_admin')
  @Mutation(() => Tenant)
  async unsuspendTenant(@Args('id', { type: () => ID }) id: string): Promise<Tenant> {
    return toTenant(await this.service.unsuspend(id));
  }

  @Allow('platform_admin')
  @Mutation(() => TenantDeletion, {
    description: 'Deletes the tenant with all its domains, mailboxes and stored mail, operators and API keys, and cancels its unsent outbound mail. Cannot be undone.',
  })
  deleteTenant(@Args('input', { type: () => DeleteTenantInput }) input: DeleteTenantInput): Promise<TenantDeletion> {
    return this.service.delete(input);
  }
}
