import { Module } from '@nestjs/common';
import { QueueResolver } from './queue.resolver.js';
import { QueueService } from './queue.service.js';

@Module({ providers: [QueueService, QueueResolver] })
export class QueueModule {}
