import { createUnionType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { PlatformEvent } from '../events/platform-event.js';

export enum PlatformEventTypeValue {
  MAILBOX_BLOCKED = 'mailbox.blocked',
  MAILBOX_RELEASED = 'mailbox.released',
  QUEUE_CHANGED = 'queue.changed',
  QUOTA_CROSSED = 'quota.crossed',
  DOMAIN_VERIFIED = 'domain.verified',
}
registerEnumType(PlatformEventTypeValue, { name: 'PlatformEventType' });

@ObjectType({ description: "The burst detector blocked a mailbox's outbound mail." })
export class MailboxBlockedEvent {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  mailboxId!: string;

  @Field(() => ID, { description: 'The abuse event with the figures.' })
  abuseEventId!: string;
}

@ObjectType({ description: "A platform admin released a mailbox's outbound mail." })
export class MailboxReleasedEvent {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  mailboxId!: string;
}

@ObjectType({ description: 'An outbound queue row changed state (or was rescheduled).' })
export class QueueChangedEvent {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  queueId!: string;

  @Field(() => String)
  state!: string;

  @Field(() => ID, { nullable: true, description: 'The sending mailbox, when the sender of the event knew it.' })
  senderMailboxId!: string | null;
}

@ObjectType({ description: "A mailbox's usage crossed 80, 90 or 100% of its quota." })
export class QuotaCrossedEvent {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  mailboxId!: string;

  @Field(() => Int)
  percent!: number;
}

@ObjectType({ description: 'Every required DNS record of a domain was found right.' })
export class DomainVerifiedEvent {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => ID)
  domainId!: string;

  @Field(() => String)
  domain!: string;
}

export const PlatformEventUnion = createUnionType({
  name: 'PlatformEvent',
  types: () => [MailboxBlockedEvent, MailboxReleasedEvent, QueueChangedEvent, QuotaCrossedEvent, DomainVerifiedEvent] as const,
  resolveType: (value: { __type: string }) => {
    switch (value.__type) {
      case 'mailbox.blocked':
        return MailboxBlockedEvent;
      case 'mailbox.released':
        return MailboxReleasedEvent;
      case 'queue.changed':
        return QueueChangedEvent;
      case 'quota.crossed':
        return QuotaCrossedEvent;
      default:
        return DomainVerifiedEvent;
    }
  },
});

/** The GraphQL object of an event (the `__type` field picks the union member). */
export function toEventObject(e: PlatformEvent): Record<string, unknown> & { __type: string } {
  switch (e.type) {
    case 'mailbox.blocked':
      return { __type: e.type, tenantId: e.tenantId, mailboxId: e.mailboxId, abuseEventId: e.eventId };
    case 'queue.changed':
      return { __type: e.type, tenantId: e.tenantId, queueId: e.queueId, state: e.state, senderMailboxId: e.mailboxId ?? null };
    default: {
      const { type, ...rest } = e;
      return { __type: type, ...rest };
    }
  }
}
