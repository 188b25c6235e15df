import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { CreateTenantInput } from './dto/create-tenant.input.js';
import { TenantsArgs } from './dto/tenants.args.js';
import { TenantService } from './tenant.service.js';
import { Tenant, TenantConnection, toTenant } from './tenant.type.js';

@Resolver(() => Tenant)
export class TenantResolver {
  constructor(private readonly service: TenantService) {}

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

  @Allow('platform_admin')
  @Mutation(() => Tenant)
  async createTenant(@Args('input', { type: () => CreateTenantInput }) input: CreateTenantInput): Promise<Tenant> {
    return toTenant(await this.service.create(input));
  }
}
