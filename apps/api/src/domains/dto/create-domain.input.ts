import { Field, ID, InputType } from '@nestjs/graphql';

@InputType()
export class CreateDomainInput {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => String, { description: 'Any case, Unicode or IDNA; stored lower-case in IDNA form.' })
  name!: string;
}
