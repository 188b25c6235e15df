import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '../../common/connection.js';
import { DomainStatusValue } from '../domain.type.js';
import { DomainOrder } from './domain.inputs.js';

@ArgsType()
export class DomainsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only this tenant's domains." })
  tenantId?: string | null;

  @Field(() => DomainStatusValue, { nullable: true })
  status?: DomainStatusValue | null;

  @Field(() => String, { nullable: true, description: 'Only domains whose name contains this text.' })
  nameContains?: string | null;

  @Field(() => DomainOrder, { nullable: true, description: 'Default: oldest first.' })
  orderBy?: DomainOrder | null;
}
