import { Field, Float, ID, InputType } from '@nestjs/graphql';

@InputType()
export class CreateMailboxInput {
  @Field(() => ID)
  domainId!: string;

  @Field(() => String, { description: 'The part before the @; stored lower case.' })
  localPart!: string;

  @Field(() => String, { description: 'At least 10 characters; stored as an argon2id hash only.' })
  password!: string;

  @Field(() => Float, { nullable: true, description: "Bytes; defaults to the plan's default mailbox quota." })
  quotaBytes?: number | null;

  @Field(() => String, { nullable: true })
  displayName?: string | null;
}
