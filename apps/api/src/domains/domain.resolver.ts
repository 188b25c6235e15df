import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { DomainService } from './domain.service.js';
import { Domain, DomainConnection, toDomain } from './domain.type.js';
import { CreateDomainInput } from './dto/create-domain.input.js';
import { DomainsArgs } from './dto/domains.args.js';

@Resolver(() => Domain)
export class DomainResolver {
  constructor(private readonly service: DomainService) {}

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => DomainConnection)
  async domains(@Args() args: DomainsArgs): Promise<DomainConnection> {
    return toConnection(await this.service.list(args), toDomain);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => Domain)
  async domain(@Args('id', { type: () => ID }) id: string): Promise<Domain> {
    return toDomain(await this.service.get(id));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Domain)
  async createDomain(@Args('input', { type: () => CreateDomainInput }) input: CreateDomainInput): Promise<Domain> {
    return toDomain(await this.service.create(input));
  }
}
