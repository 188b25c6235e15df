import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { Mailbox, toMailbox } from '../mailboxes/mailbox.type.js';
import { AbuseService } from './abuse.service.js';
import { AbuseEvent, AbuseEventConnection, AbuseEventsArgs, toAbuseEvent } from './abuse.type.js';

@Resolver(() => AbuseEvent)
export class AbuseResolver {
  constructor(private readonly service: AbuseService) {}

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => AbuseEventConnection, { description: "Platform admins see all; tenant admins their tenant's; mailbox owners their mailbox's." })
  async abuseEvents(@Args() args: AbuseEventsArgs): Promise<AbuseEventConnection> {
    return toConnection(await this.service.list(args), toAbuseEvent);
  }

  @Allow('platform_admin')
  @Mutation(() => Mailbox, { description: 'Lifts a burst block: held outbound mail goes out, open abuse events of the mailbox are resolved.' })
  async releaseMailbox(@Args('id', { type: () => ID }) id: string): Promise<Mailbox> {
    return toMailbox(await this.service.releaseMailbox(id));
  }
}
