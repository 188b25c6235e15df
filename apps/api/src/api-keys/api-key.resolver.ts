import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { ApiKeyService } from './api-key.service.js';
import { ApiKey, ApiKeyConnection, ApiKeysArgs, CreateApiKeyInput, CreatedApiKey, toApiKey } from './api-key.type.js';

@Allow('platform_admin', 'tenant_admin')
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly service: ApiKeyService) {}

  @Query(() => ApiKeyConnection, { description: 'The secrets are never shown again, only the prefixes.' })
  async apiKeys(@Args() args: ApiKeysArgs): Promise<ApiKeyConnection> {
    return toConnection(await this.service.list(args), toApiKey);
  }

  @Mutation(() => CreatedApiKey, { description: 'The key is in the answer once; only its SHA-256 is kept.' })
  async createApiKey(@Args('input', { type: () => CreateApiKeyInput }) input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const { entity, key } = await this.service.create(input);
    return { id: entity.id, key, apiKey: toApiKey(entity) };
  }

  @Mutation(() => ApiKey, { description: 'The key stops working at once.' })
  async revokeApiKey(@Args('id', { type: () => ID }) id: string): Promise<ApiKey> {
    return toApiKey(await this.service.revoke(id));
  }
}
