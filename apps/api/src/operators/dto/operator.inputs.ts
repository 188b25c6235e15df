import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { OrderBy, PageArgs } from '../../common/connection.js';
import { OperatorRole } from '../operator.type.js';

@InputType()
export class CreateOperatorInput {
  @Field(() => String, { description: 'The login; stored lower case.' })
  email!: string;

  @Field(() => String, { description: 'At least 10 characters; stored as an argon2id hash only.' })
  password!: string;

  @Field(() => OperatorRole, { description: 'A tenant admin can create TENANT_ADMIN operators of its own tenant only.' })
  role!: OperatorRole;

  @Field(() => ID, { nullable: true, description: "Required for TENANT_ADMIN (a tenant admin's own tenant when omitted); must be absent for PLATFORM_ADMIN." })
  tenantId?: string | null;

  @Field(() => String, { nullable: true })
  displayName?: string | null;
}

export enum OperatorOrderField {
  CREATED_AT = 'CREATED_AT',
  EMAIL = 'EMAIL',
}
registerEnumType(OperatorOrderField, { name: 'OperatorOrderField' });

@InputType()
export class OperatorOrder extends OrderBy(OperatorOrderField) {}

@ArgsType()
export class OperatorsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  tenantId?: string | null;

  @Field(() => OperatorRole, { nullable: true })
  role?: OperatorRole | null;

  @Field(() => String, { nullable: true })
  emailContains?: string | null;

  @Field(() => OperatorOrder, { nullable: true, description: 'Default: oldest first.' })
  orderBy?: OperatorOrder | null;
}
