import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import type { MailboxEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';

@ObjectType({ description: 'A mailbox: an address with storage, and the credentials of its owner.' })
export class Mailbox {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'local@domain, lower case, domain in IDNA form.' })
  address!: string;

  @Field(() => String)
  localPart!: string;

  @Field(() => ID)
  domainId!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => Float)
  quotaBytes!: number;

  @Field(() => Float)
  usedBytes!: number;

  @Field(() => Int)
  usedMessages!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType()
export class MailboxConnection extends Connection(Mailbox) {}

export function toMailbox(e: MailboxEntity): Mailbox {
  return {
    id: e.id,
    address: e.address,
    localPart: e.localPart,
    domainId: e.domainId,
    tenantId: e.tenantId,
    displayName: e.displayName,
    quotaBytes: e.quotaBytes,
    usedBytes: e.usedBytes,
    usedMessages: e.usedMessages,
    createdAt: e.createdAt,
  };
}

/** What the audit log keeps about a mailbox: never the password hash. */
export function mailboxAuditView(e: MailboxEntity): Record<string, unknown> {
  return {
    id: e.id,
    address: e.address,
    domainId: e.domainId,
    tenantId: e.tenantId,
    displayName: e.displayName,
    quotaBytes: e.quotaBytes,
  };
}
