import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import type { MailboxEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';

@ObjectType()
export class MailboxForwarding {
  @Field(() => [String], { description: 'Where incoming mail is also (or only) sent; empty: no forwarding.' })
  addresses!: string[];

  @Field(() => Boolean, { description: 'Keep a copy in this mailbox as well.' })
  keepCopy!: boolean;
}

@ObjectType()
export class MailboxVacation {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  body!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Replies start at this time (immediately when null).' })
  startsAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Replies stop at this time (never when null).' })
  endsAt!: Date | null;
}

@ObjectType({ description: "Limits the engine applies to this mailbox: the provider's overrides, or the plan's values where there is none." })
export class MailboxLimits {
  @Field(() => Int)
  sendPerMinute!: number;

  @Field(() => Int)
  sendPerHour!: number;

  @Field(() => Int)
  sendPerDay!: number;

  @Field(() => Boolean)
  imapEnabled!: boolean;

  @Field(() => Boolean)
  pop3Enabled!: boolean;

  @Field(() => Int, { nullable: true, description: 'Override of the plan; null follows the plan.' })
  sendPerMinuteOverride!: number | null;

  @Field(() => Int, { nullable: true })
  sendPerHourOverride!: number | null;

  @Field(() => Int, { nullable: true })
  sendPerDayOverride!: number | null;

  @Field(() => Boolean, { nullable: true })
  imapEnabledOverride!: boolean | null;

  @Field(() => Boolean, { nullable: true })
  pop3EnabledOverride!: boolean | null;
}

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

  @Field(() => Boolean, { description: 'The owner may not log in (IMAP, POP3, submission, self-service).' })
  loginSuspended!: boolean;

  @Field(() => Boolean, { description: 'The mailbox may not send.' })
  sendSuspended!: boolean;

  @Field(() => Boolean, { description: 'Mail to the mailbox is refused.' })
  receiveSuspended!: boolean;

  @Field(() => String, { nullable: true, description: 'Why any of the three suspensions is on.' })
  suspensionReason!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set when the burst detector blocked outbound mail; cleared by releaseMailbox.' })
  outboundBlockedAt!: Date | null;

  @Field(() => String, { nullable: true })
  outboundBlockedReason!: string | null;

  @Field(() => MailboxForwarding)
  forwarding!: MailboxForwarding;

  @Field(() => MailboxVacation)
  vacation!: MailboxVacation;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastLoginAt!: Date | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  /** Not in the schema: what the limits field is computed from. */
  overrides!: Pick<MailboxEntity, 'sendPerMinute' | 'sendPerHour' | 'sendPerDay' | 'imapEnabled' | 'pop3Enabled'>;
}

@ObjectType()
export class MailboxConnection extends Connection(Mailbox) {}

@ObjectType({ description: 'What deleting a mailbox removed. Its outbound mail already queued is still delivered.' })
export class MailboxDeletion {
  @Field(() => ID)
  mailboxId!: string;

  @Field(() => Float)
  messagesDeleted!: number;

  @Field(() => Float)
  bytesDeleted!: number;
}

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
    loginSuspended: e.loginSuspended,
    sendSuspended: e.sendSuspended,
    receiveSuspended: e.receiveSuspended,
    suspensionReason: e.suspensionReason,
    outboundBlockedAt: e.outboundBlockedAt,
    outboundBlockedReason: e.outboundBlockedReason,
    forwarding: { addresses: e.forwardTo ?? [], keepCopy: e.forwardKeepCopy },
    vacation: {
      enabled: e.vacationEnabled,
      subject: e.vacationSubject,
      body: e.vacationBody,
      startsAt: e.vacationStartsAt,
      endsAt: e.vacationEndsAt,
    },
    lastLoginAt: e.lastLoginAt,
    createdAt: e.createdAt,
    overrides: { sendPerMinute: e.sendPerMinute, sendPerHour: e.sendPerHour, sendPerDay: e.sendPerDay, imapEnabled: e.imapEnabled, pop3Enabled: e.pop3Enabled },
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
    loginSuspended: e.loginSuspended,
    sendSuspended: e.sendSuspended,
    receiveSuspended: e.receiveSuspended,
    suspensionReason: e.suspensionReason,
    outboundBlockedAt: e.outboundBlockedAt,
    forwardTo: e.forwardTo,
    forwardKeepCopy: e.forwardKeepCopy,
    vacationEnabled: e.vacationEnabled,
    sendPerMinute: e.sendPerMinute,
    sendPerHour: e.sendPerHour,
    sendPerDay: e.sendPerDay,
    imapEnabled: e.imapEnabled,
    pop3Enabled: e.pop3Enabled,
  };
}
