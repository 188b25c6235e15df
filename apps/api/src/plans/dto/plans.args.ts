import { ArgsType, Field } from '@nestjs/graphql';
import { PageArgs } from '../../common/connection.js';
import { PlanOrder } from './plan.inputs.js';

@ArgsType()
export class PlansArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only plans whose name contains this text (any case).' })
  nameContains?: string | null;

  @Field(() => PlanOrder, { nullable: true, description: 'Default: oldest first.' })
  orderBy?: PlanOrder | null;
}
