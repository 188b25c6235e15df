import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One plan limit and how much of it is used.' })
export class LimitUsage {
  @Field(() => Float)
  used!: number;

  @Field(() => Float)
  limit!: number;

  @Field(() => Float, { description: 'used / limit * 100, rounded to one decimal; 100 when the limit is 0 and something is used.' })
  percent!: number;
}

@ObjectType({ description: "A tenant's usage against its plan." })
export class TenantUsage {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => LimitUsage)
  domains!: LimitUsage;

  @Field(() => LimitUsage)
  mailboxes!: LimitUsage;

  @Field(() => LimitUsage, { description: 'Aliases and catch-alls.' })
  aliases!: LimitUsage;

  @Field(() => LimitUsage, { description: "Sum of the mailboxes' quotas against the plan's storage (what the plan limit applies to)." })
  storageAllocated!: LimitUsage;

  @Field(() => Float, { description: 'Bytes stored in all mailboxes.' })
  storageUsedBytes!: number;

  @Field(() => Float, { description: 'Messages stored in all mailboxes.' })
  messages!: number;
}

@ObjectType({ description: "A mailbox's storage against its quota." })
export class MailboxUsage {
  @Field(() => ID)
  mailboxId!: string;

  @Field(() => LimitUsage)
  storage!: LimitUsage;

  @Field(() => Int)
  messages!: number;
}

@ObjectType({ description: 'Mail received and sent on one day (UTC).' })
export class DailyMailTraffic {
  @Field(() => String, { description: 'YYYY-MM-DD, UTC.' })
  day!: string;

  @Field(() => Int)
  receivedMessages!: number;

  @Field(() => Float)
  receivedBytes!: number;

  @Field(() => Int)
  sentMessages!: number;

  @Field(() => Float)
  sentBytes!: number;
}

export function limitUsage(used: number, limit: number): LimitUsage {
  const percent = limit > 0 ? Math.round((used / limit) * 1000) / 10 : used > 0 ? 100 : 0;
  return { used, limit, percent };
}
