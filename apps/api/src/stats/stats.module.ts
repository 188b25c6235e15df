import { Module } from '@nestjs/common';
import { StatsResolver } from './stats.resolver.js';
import { StatsScheduler } from './stats-scheduler.js';
import { StatsService } from './stats.service.js';

@Module({ providers: [StatsService, StatsResolver, StatsScheduler] })
export class StatsModule {}
