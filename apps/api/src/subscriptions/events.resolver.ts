import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { currentActor } from '../auth/request-context.js';
import { EventHub } from '../events/event-hub.js';
import type { PlatformEvent } from '../events/platform-event.js';
import { mayReceive } from './event-scope.js';
import { PlatformEventTypeValue, PlatformEventUnion, toEventObject } from './event.types.js';

@Resolver()
export class EventsResolver {
  constructor(private readonly hub: EventHub) {}

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Subscription(() => PlatformEventUnion, {
    description:
      'Live platform events over graphql-ws (path /graphql, connection parameter `authorization: "Bearer <token or API key>"`), limited to what the caller may see.',
    resolve: (event: PlatformEvent) => toEventObject(event),
  })
  events(@Args('types', { type: () => [PlatformEventTypeValue], nullable: true, description: 'Only these types (default: all).' }) types?: PlatformEventTypeValue[] | null) {
    const actor = currentActor();
    const wanted = types && types.length > 0 ? new Set<string>(types) : undefined;
    return this.hub.stream((event) => (!wanted || wanted.has(event.type)) && mayReceive(actor, event));
  }
}
