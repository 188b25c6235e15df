import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType, ArgsType } from '@nestjs/graphql';
import type { ApiKeyEntity } from '@darwin/db';
import { Connection, OrderBy, PageArgs } from '../common/connection.js';

export enum ApiKeyScopeValue {
  PLATFORM = 'PLATFORM',
  TENANT = 'TENANT',
}
registerEnumType(ApiKeyScopeValue, { name: 'ApiKeyScope', description: "PLATFORM: acts as a platform admin; TENANT: acts as that tenant's admin." });

@ObjectType({ description: 'A key for automation (billing, provisioning). The secret is shown once, at creation.' })
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The visible start of the key (dmk_xxxxxxxx), as shown in lists and audit records.' })
  prefix!: string;

  @Field(() => ApiKeyScopeValue)
  scope!: ApiKeyScopeValue;

  @Field(() => ID, { nullable: true })
  tenantId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The operator who made it (null once that operator is deleted).' })
  createdById!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'To the minute.' })
  lastUsedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class ApiKeyConnection extends Connection(ApiKey) {}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The whole key, shown this once: send it as `Authorization: Bearer <key>`.' })
  key!: string;

  @Field(() => ApiKey)
  apiKey!: ApiKey;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: '1-100 characters, e.g. "billing".' })
  name!: string;

  @Field(() => ID, { nullable: true, description: "The tenant the key acts for; absent: a platform key (platform admins), or the caller's tenant (tenant admins)." })
  tenantId?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The key stops working at this time; never when absent.' })
  expiresAt?: Date | null;
}

export enum ApiKeyOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
}
registerEnumType(ApiKeyOrderField, { name: 'ApiKeyOrderField' });

@InputType()
export class ApiKeyOrder extends OrderBy(ApiKeyOrderField) {}

@ArgsType()
export class ApiKeysArgs extends PageArgs {
  @Field(() => ApiKeyOrder, { nullable: true, description: 'Default: oldest first.' })
  orderBy?: ApiKeyOrder | null;

  @Field(() => ID, { nullable: true })
  tenantId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only keys that still work (not revoked or expired); false: only those that do not.' })
  active?: boolean | null;
}

export function toApiKey(e: ApiKeyEntity): ApiKey {
  return {
    id: e.id,
    name: e.name,
    prefix: e.prefix,
    scope: e.scope === 'platform' ? ApiKeyScopeValue.PLATFORM : ApiKeyScopeValue.TENANT,
    tenantId: e.tenantId,
    createdById: e.createdById,
    expiresAt: e.expiresAt,
    lastUsedAt: e.lastUsedAt,
    revokedAt: e.revokedAt,
    createdAt: e.createdAt,
  };
}

export function apiKeyAuditView(e: ApiKeyEntity): Record<string, unknown> {
  return { id: e.id, name: e.name, prefix: e.prefix, scope: e.scope, tenantId: e.tenantId, expiresAt: e.expiresAt, revokedAt: e.revokedAt };
}
