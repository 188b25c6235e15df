import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { AliasService } from './alias.service.js';
import { Alias, AliasConnection, toAlias } from './alias.type.js';
import { AliasesArgs, CreateAliasInput, UpdateAliasInput } from './dto/alias.inputs.js';

@Allow('platform_admin', 'tenant_admin')
@Resolver(() => Alias)
export class AliasResolver {
  constructor(private readonly service: AliasService) {}

  @Query(() => AliasConnection)
  async aliases(@Args() args: AliasesArgs): Promise<AliasConnection> {
    return toConnection(await this.service.list(args), toAlias);
  }

  @Query(() => Alias)
  async alias(@Args('id', { type: () => ID }) id: string): Promise<Alias> {
    return toAlias(await this.service.get(id));
  }

  @Mutation(() => Alias, { description: 'Counts against the plan\'s maxAliases; the source may not be a mailbox or another alias.' })
  async createAlias(@Args('input', { type: () => CreateAliasInput }) input: CreateAliasInput): Promise<Alias> {
    return toAlias(await this.service.create(input));
  }

  @Mutation(() => Alias)
  async updateAlias(@Args('id', { type: () => ID }) id: string, @Args('input', { type: () => UpdateAliasInput }) input: UpdateAliasInput): Promise<Alias> {
    return toAlias(await this.service.update(id, input));
  }

  @Mutation(() => Alias)
  async deleteAlias(@Args('id', { type: () => ID }) id: string): Promise<Alias> {
    return toAlias(await this.service.delete(id));
  }
}
