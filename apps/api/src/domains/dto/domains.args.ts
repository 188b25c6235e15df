import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '../../common/connection.js';

@ArgsType()
export class DomainsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only this tenant's domains." })
  tenantId?: string | null;
}
