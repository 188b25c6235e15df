import { Module } from '@nestjs/common';
import { EventsResolver } from './events.resolver.js';
import { SubscriptionServer } from './subscription-server.js';

@Module({ providers: [EventsResolver, SubscriptionServer] })
export class SubscriptionModule {}
