import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import type { PlanEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';

@ObjectType({ description: 'A package the provider sells: the limits its tenants work within.' })
export class Plan {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  maxDomains!: number;

  @Field(() => Int)
  maxMailboxes!: number;

  @Field(() => Int)
  maxAliases!: number;

  @Field(() => Float, { description: "Total storage across the tenant's mailboxes, in bytes." })
  storageBytes!: number;

  @Field(() => Float)
  defaultMailboxQuotaBytes!: number;

  @Field(() => Float)
  maxMailboxQuotaBytes!: number;

  @Field(() => Float)
  maxMessageBytes!: number;

  @Field(() => Int)
  sendPerMinute!: number;

  @Field(() => Int)
  sendPerHour!: number;

  @Field(() => Int)
  sendPerDay!: number;

  @Field(() => Int)
  maxRecipientsPerMessage!: number;

  @Field(() => Boolean)
  imapEnabled!: boolean;

  @Field(() => Boolean)
  pop3Enabled!: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class PlanConnection extends Connection(Plan) {}

export function toPlan(e: PlanEntity): Plan {
  return {
    id: e.id,
    name: e.name,
    maxDomains: e.maxDomains,
    maxMailboxes: e.maxMailboxes,
    maxAliases: e.maxAliases,
    storageBytes: e.storageBytes,
    defaultMailboxQuotaBytes: e.defaultMailboxQuotaBytes,
    maxMailboxQuotaBytes: e.maxMailboxQuotaBytes,
    maxMessageBytes: e.maxMessageBytes,
    sendPerMinute: e.sendPerMinute,
    sendPerHour: e.sendPerHour,
    sendPerDay: e.sendPerDay,
    maxRecipientsPerMessage: e.maxRecipientsPerMessage,
    imapEnabled: e.imapEnabled,
    pop3Enabled: e.pop3Enabled,
    createdAt: e.createdAt,
  };
}

/** What the audit log keeps about a plan: its limits. */
export function planAuditView(e: PlanEntity): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = e;
  return { ...rest };
}
