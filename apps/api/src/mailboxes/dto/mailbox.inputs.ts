import { Field, Float, GraphQLISODateTime, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { OrderBy } from '../../common/connection.js';

@InputType({ description: 'Only the fields given change. A mailbox owner may change its display name only.' })
export class UpdateMailboxInput {
  @Field(() => String, { nullable: true, description: 'Empty string clears it.' })
  displayName?: string | null;

  @Field(() => Float, { nullable: true, description: "Bytes; at most the plan's max mailbox quota, and the tenant's quotas together within the plan's storage." })
  quotaBytes?: number | null;
}

@InputType({ description: 'Each kind of suspension is separate; a reason is required while any is on.' })
export class MailboxSuspensionInput {
  @Field(() => Boolean)
  login!: boolean;

  @Field(() => Boolean)
  send!: boolean;

  @Field(() => Boolean)
  receive!: boolean;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType()
export class MailboxForwardingInput {
  @Field(() => [String], { description: 'At most 20 addresses; empty turns forwarding off.' })
  addresses!: string[];

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  keepCopy?: boolean | null;
}

@InputType()
export class MailboxVacationInput {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'At most 200 characters; required when enabled.' })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'Plain text, at most 10,000 characters; required when enabled.' })
  body?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  startsAt?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  endsAt?: Date | null;
}

@InputType({ description: 'Sets every override at once: a field left out or null follows the plan. Platform admins only.' })
export class MailboxLimitsInput {
  @Field(() => Int, { nullable: true })
  sendPerMinute?: number | null;

  @Field(() => Int, { nullable: true })
  sendPerHour?: number | null;

  @Field(() => Int, { nullable: true })
  sendPerDay?: number | null;

  @Field(() => Boolean, { nullable: true })
  imapEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  pop3Enabled?: boolean | null;
}

@InputType({ description: 'Deleting a mailbox deletes all its stored mail; its outbound mail already queued is still delivered. Cannot be undone.' })
export class DeleteMailboxInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The mailbox's address, as a confirmation." })
  confirmAddress!: string;
}

export enum MailboxOrderField {
  CREATED_AT = 'CREATED_AT',
  ADDRESS = 'ADDRESS',
  USED_BYTES = 'USED_BYTES',
}
registerEnumType(MailboxOrderField, { name: 'MailboxOrderField' });

@InputType()
export class MailboxOrder extends OrderBy(MailboxOrderField) {}
