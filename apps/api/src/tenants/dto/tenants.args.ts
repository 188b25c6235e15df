import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '../../common/connection.js';
import { TenantStatusValue } from '../tenant.type.js';
import { TenantOrder } from './tenant.inputs.js';

@ArgsType()
export class TenantsArgs extends PageArgs {
  @Field(() => TenantStatusValue, { nullable: true })
  status?: TenantStatusValue | null;

  @Field(() => String, { nullable: true, description: 'Only tenants whose name contains this text (any case).' })
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'The tenant with this billing-system id.' })
  externalId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only tenants on this plan.' })
  planId?: string | null;

  @Field(() => TenantOrder, { nullable: true, description: 'Default: oldest first.' })
  orderBy?: TenantOrder | null;
}
