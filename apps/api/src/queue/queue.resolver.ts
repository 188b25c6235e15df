import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { QueueService } from './queue.service.js';
import { QueueArgs, QueuedMessage, QueuedMessageConnection, toQueuedMessage } from './queue.type.js';

@Resolver(() => QueuedMessage)
export class QueueResolver {
  constructor(private readonly service: QueueService) {}

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => QueuedMessageConnection, { description: 'Outbound mail per recipient; a mailbox owner sees what its own mailbox sent.' })
  async outboundQueue(@Args() args: QueueArgs): Promise<QueuedMessageConnection> {
    return toConnection(await this.service.list(args), toQueuedMessage);
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => QueuedMessage)
  async queuedMessage(@Args('id', { type: () => ID }) id: string): Promise<QueuedMessage> {
    return toQueuedMessage(await this.service.get(id));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => QueuedMessage, { description: 'A queued or deferred message is tried at once (CONFLICT in other states).' })
  async retryQueuedMessage(@Args('id', { type: () => ID }) id: string): Promise<QueuedMessage> {
    return toQueuedMessage(await this.service.retryNow(id));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => QueuedMessage, { description: 'A queued or deferred message is cancelled and never sent (CONFLICT in other states).' })
  async deleteQueuedMessage(@Args('id', { type: () => ID }) id: string): Promise<QueuedMessage> {
    return toQueuedMessage(await this.service.cancel(id));
  }
}
