import { Field, Float, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { OrderBy } from '../../common/connection.js';

/** Every limit is optional; what is left out takes the default given in each description. */
@InputType()
export class CreatePlanInput {
  @Field(() => String, { description: 'Unique, 1-100 characters.' })
  name!: string;

  @Field(() => Int, { nullable: true, description: 'Default 10.' })
  maxDomains?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 100.' })
  maxMailboxes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Aliases and catch-alls together. Default 500.' })
  maxAliases?: number | null;

  @Field(() => Float, { nullable: true, description: "Bytes: the sum of the tenant's mailbox quotas may not exceed it. Default 100 GiB." })
  storageBytes?: number | null;

  @Field(() => Float, { nullable: true, description: 'Bytes. Default 1 GiB (at most storageBytes).' })
  defaultMailboxQuotaBytes?: number | null;

  @Field(() => Float, { nullable: true, description: 'Bytes. Default 10 GiB (at most storageBytes, at least the default quota).' })
  maxMailboxQuotaBytes?: number | null;

  @Field(() => Float, { nullable: true, description: 'Bytes. Default 50 MiB.' })
  maxMessageBytes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Messages a mailbox may send per minute. Default 30.' })
  sendPerMinute?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 300.' })
  sendPerHour?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 1000.' })
  sendPerDay?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 100.' })
  maxRecipientsPerMessage?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  imapEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  pop3Enabled?: boolean | null;
}

/** Only the fields given change. */
@InputType()
export class UpdatePlanInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true })
  maxDomains?: number | null;

  @Field(() => Int, { nullable: true })
  maxMailboxes?: number | null;

  @Field(() => Int, { nullable: true })
  maxAliases?: number | null;

  @Field(() => Float, { nullable: true })
  storageBytes?: number | null;

  @Field(() => Float, { nullable: true })
  defaultMailboxQuotaBytes?: number | null;

  @Field(() => Float, { nullable: true })
  maxMailboxQuotaBytes?: number | null;

  @Field(() => Float, { nullable: true })
  maxMessageBytes?: number | null;

  @Field(() => Int, { nullable: true })
  sendPerMinute?: number | null;

  @Field(() => Int, { nullable: true })
  sendPerHour?: number | null;

  @Field(() => Int, { nullable: true })
  sendPerDay?: number | null;

  @Field(() => Int, { nullable: true })
  maxRecipientsPerMessage?: number | null;

  @Field(() => Boolean, { nullable: true })
  imapEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  pop3Enabled?: boolean | null;
}

export enum PlanOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
}
registerEnumType(PlanOrderField, { name: 'PlanOrderField' });

@InputType()
export class PlanOrder extends OrderBy(PlanOrderField) {}
