import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { OrderBy, PageArgs } from '../../common/connection.js';

@InputType()
export class CreateAliasInput {
  @Field(() => String, { description: '`local@domain` or `@domain` (catch-all); the domain must be one of the tenant\'s.' })
  source!: string;

  @Field(() => [String], { description: '1 to 50 addresses, local or external.' })
  destinations!: string[];

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  enabled?: boolean | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateAliasInput {
  @Field(() => [String], { nullable: true })
  destinations?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}

export enum AliasOrderField {
  CREATED_AT = 'CREATED_AT',
  SOURCE = 'SOURCE',
}
registerEnumType(AliasOrderField, { name: 'AliasOrderField' });

@InputType()
export class AliasOrder extends OrderBy(AliasOrderField) {}

@ArgsType()
export class AliasesArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  tenantId?: string | null;

  @Field(() => ID, { nullable: true })
  domainId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only sources containing this text.' })
  sourceContains?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only catch-alls; false: only ordinary aliases.' })
  catchAll?: boolean | null;

  @Field(() => AliasOrder, { nullable: true, description: 'Default: oldest first.' })
  orderBy?: AliasOrder | null;
}
