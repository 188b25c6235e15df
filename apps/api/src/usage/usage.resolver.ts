import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { UsageService } from './usage.service.js';
import { DailyMailTraffic, MailboxUsage, TenantUsage } from './usage.type.js';

@Resolver()
export class UsageResolver {
  constructor(private readonly service: UsageService) {}

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => TenantUsage, { description: "A tenant's counts and storage against its plan." })
  tenantUsage(@Args('tenantId', { type: () => ID }) tenantId: string): Promise<TenantUsage> {
    return this.service.tenantUsage(tenantId);
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => MailboxUsage)
  mailboxUsage(@Args('mailboxId', { type: () => ID }) mailboxId: string): Promise<MailboxUsage> {
    return this.service.mailboxUsage(mailboxId);
  }

  @Allow('platform_admin', 'tenant_admin', 'mailbox_owner')
  @Query(() => [DailyMailTraffic], { description: 'Mail received and sent per day (UTC) for a tenant or one mailbox; days without mail are left out.' })
  mailTraffic(
    @Args('from', { type: () => String, description: 'YYYY-MM-DD' }) from: string,
    @Args('to', { type: () => String, description: 'YYYY-MM-DD, inclusive; at most 366 days after from.' }) to: string,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string | null,
    @Args('mailboxId', { type: () => ID, nullable: true }) mailboxId?: string | null,
  ): Promise<DailyMailTraffic[]> {
    return this.service.dailyMailTraffic({ tenantId, mailboxId }, from, to);
  }
}
