import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { OutboundQueueEntity } from '@darwin/db';
import { Connection, OrderBy, PageArgs } from '../common/connection.js';

export enum OutboundStateValue {
  queued = 'queued',
  deferred = 'deferred',
  sending = 'sending',
  sent = 'sent',
  bounced = 'bounced',
  cancelled = 'cancelled',
}
registerEnumType(OutboundStateValue, { name: 'OutboundState' });

@ObjectType({ description: 'One recipient of one outgoing message in the delivery queue.' })
export class QueuedMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID, { nullable: true, description: 'The sending mailbox (null when it was deleted since).' })
  mailboxId!: string | null;

  @Field(() => String, { description: "Envelope sender; '' for bounces." })
  mailFrom!: string;

  @Field(() => String)
  rcptTo!: string;

  @Field(() => String)
  rcptDomain!: string;

  @Field(() => OutboundStateValue)
  state!: OutboundStateValue;

  @Field(() => Int)
  attempts!: number;

  @Field(() => GraphQLISODateTime)
  nextAttemptAt!: Date;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'The message bounces if not delivered by then.' })
  expiresAt!: Date;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType()
export class QueuedMessageConnection extends Connection(QueuedMessage) {}

export enum QueueOrderField {
  CREATED_AT = 'CREATED_AT',
  NEXT_ATTEMPT_AT = 'NEXT_ATTEMPT_AT',
}
registerEnumType(QueueOrderField, { name: 'QueueOrderField' });

@InputType()
export class QueueOrder extends OrderBy(QueueOrderField) {}

@ArgsType()
export class QueueArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  tenantId?: string | null;

  @Field(() => ID, { nullable: true })
  mailboxId?: string | null;

  @Field(() => [OutboundStateValue], { nullable: true, description: 'Only these states (default: all).' })
  states?: OutboundStateValue[] | null;

  @Field(() => String, { nullable: true, description: 'Only recipients on this domain.' })
  rcptDomain?: string | null;

  @Field(() => String, { nullable: true, description: 'Only recipients or senders containing this text.' })
  addressContains?: string | null;

  @Field(() => QueueOrder, { nullable: true, description: 'Default: newest first.' })
  orderBy?: QueueOrder | null;
}

export function toQueuedMessage(e: OutboundQueueEntity): QueuedMessage {
  return {
    id: e.id,
    tenantId: e.tenantId,
    mailboxId: e.mailboxId,
    mailFrom: e.mailFrom,
    rcptTo: e.rcptTo,
    rcptDomain: e.rcptDomain,
    state: e.state as OutboundStateValue,
    attempts: e.attempts,
    nextAttemptAt: e.nextAttemptAt,
    lastError: e.lastError,
    expiresAt: e.expiresAt,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export function queueAuditView(e: OutboundQueueEntity): Record<string, unknown> {
  return { id: e.id, rcptTo: e.rcptTo, mailFrom: e.mailFrom, state: e.state, attempts: e.attempts, nextAttemptAt: e.nextAttemptAt, mailboxId: e.mailboxId };
}
