import { ArgsType, Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { AbuseEventEntity } from '@darwin/db';
import { Connection, PageArgs } from '../common/connection.js';
import { JSONScalar } from '../common/json.scalar.js';

@ObjectType({ description: 'What the burst detector or the login guards recorded.' })
export class AbuseEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  tenantId!: string | null;

  @Field(() => ID, { nullable: true })
  mailboxId!: string | null;

  @Field(() => String, { description: 'send_burst, auth_failures, ...' })
  kind!: string;

  @Field(() => JSONScalar, { description: 'The figures behind the decision (counts per window, limits).' })
  details!: unknown;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true })
  resolvedBy!: string | null;
}

@ObjectType()
export class AbuseEventConnection extends Connection(AbuseEvent) {}

@ArgsType()
export class AbuseEventsArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  tenantId?: string | null;

  @Field(() => ID, { nullable: true })
  mailboxId?: string | null;

  @Field(() => String, { nullable: true })
  kind?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only unresolved; false: only resolved.' })
  open?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Oldest first when true; newest first by default.' })
  oldestFirst?: boolean | null;
}

export function toAbuseEvent(e: AbuseEventEntity): AbuseEvent {
  return {
    id: e.id,
    tenantId: e.tenantId,
    mailboxId: e.mailboxId,
    kind: e.kind,
    details: e.details,
    ip: e.ip,
    createdAt: e.createdAt,
    resolvedAt: e.resolvedAt,
    resolvedBy: e.resolvedBy,
  };
}
