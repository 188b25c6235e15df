import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

const SNAPSHOT = "The day's last snapshot; null on days without one.";

@ObjectType({ isAbstract: true })
abstract class DailyStats {
  @Field(() => String, { description: 'YYYY-MM-DD, UTC.' })
  day!: string;

  @Field(() => Int, { description: 'Messages delivered to mailboxes that day (0 without mail).' })
  receivedMessages!: number;

  @Field(() => Int, { description: 'Messages sent by mailboxes that day (0 without mail).' })
  sentMessages!: number;

  @Field(() => Int, { nullable: true, description: SNAPSHOT })
  domains!: number | null;

  @Field(() => Int, { nullable: true, description: SNAPSHOT })
  mailboxes!: number | null;

  @Field(() => Float, { nullable: true, description: `Bytes stored in the mailboxes. ${SNAPSHOT}` })
  storageBytes!: number | null;

  @Field(() => Float, { nullable: true, description: `Messages stored in the mailboxes. ${SNAPSHOT}` })
  messages!: number | null;

  @Field(() => Int, { nullable: true, description: `Outbound messages queued, deferred or being sent. ${SNAPSHOT}` })
  queueSize!: number | null;

  @Field(() => Int, { nullable: true, description: `Abuse events not yet resolved. ${SNAPSHOT}` })
  openAbuseEvents!: number | null;

  @Field(() => Int, { nullable: true, description: `Mailboxes blocked from sending (burst). ${SNAPSHOT}` })
  blockedMailboxes!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the snapshot was taken; null on days without one.' })
  takenAt!: Date | null;
}

@ObjectType({
  description:
    'The whole platform on one day (UTC). Mail counts come from the per-day counters; the other figures from daily snapshots: today is refreshed every few minutes, a past day shows its last snapshot, days before the platform ran (or the API was down all day) have none.',
})
export class DailyPlatformStats extends DailyStats {
  @Field(() => Int, { nullable: true, description: SNAPSHOT })
  tenants!: number | null;
}

@ObjectType({ description: 'One tenant on one day (UTC), as DailyPlatformStats.' })
export class DailyTenantStats extends DailyStats {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => Int, { nullable: true, description: `Aliases and catch-alls. ${SNAPSHOT}` })
  aliases!: number | null;
}
