import { Field, ID, InputType } from '@nestjs/graphql';

@InputType()
export class CreateTenantInput {
  @Field(() => String, { description: 'Shown in the consoles; 1-200 characters.' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'Defaults to the plan named "Default".' })
  planId?: string | null;

  @Field(() => String, { nullable: true, description: "The billing system's id for this customer (unique)." })
  externalId?: string | null;
}
