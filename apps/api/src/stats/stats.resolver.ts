import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { StatsService } from './stats.service.js';
import { DailyPlatformStats, DailyTenantStats } from './stats.type.js';

const FROM = { type: () => String, description: 'YYYY-MM-DD (UTC)' } as const;
const TO = { type: () => String, description: 'YYYY-MM-DD, inclusive; at most 366 days after from.' } as const;

@Resolver()
export class StatsResolver {
  constructor(private readonly service: StatsService) {}

  @Allow('platform_admin')
  @Query(() => [DailyPlatformStats], {
    description: 'The platform per day, every day of the range in order: tenants, mailboxes, storage, queue, open abuse events (daily snapshots) and mail received and sent.',
  })
  platformStats(@Args('from', FROM) from: string, @Args('to', TO) to: string): Promise<DailyPlatformStats[]> {
    return this.service.platformStats(from, to);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => [DailyTenantStats], { description: 'One tenant per day, every day of the range in order (its usage over time).' })
  tenantStats(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('from', FROM) from: string, @Args('to', TO) to: string): Promise<DailyTenantStats[]> {
    return this.service.tenantStats(tenantId, from, to);
  }
}
