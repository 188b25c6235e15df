import { Inject, Injectable } from '@nestjs/common';
import { forbidden, validation } from '@darwin/core';
import { PlanEntity, type DataSource, type EntityManager } from '@darwin/db';
import { currentActor } from '../auth/request-context.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { parseDayRange } from '../common/day-range.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { limitUsage, type DailyMailTraffic, type MailboxUsage, type TenantUsage } from './usage.type.js';

export interface TenantCounts {
  readonly domains: number;
  readonly mailboxes: number;
  readonly aliases: number;
  readonly allocatedBytes: number;
  readonly usedBytes: number;
  readonly usedMessages: number;
}

@Injectable()
export class UsageService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scoped: ScopedRepositories,
  ) {}

  /** What a tenant holds now, in one round trip (also used by plan checks inside transactions). */
  async counts(m: EntityManager | DataSource, tenantId: string): Promise<TenantCounts> {
    const [row] = await m.query(
      `SELECT (SELECT count(*) FROM domains WHERE tenant_id = $1)::int AS domains,
              (SELECT count(*) FROM aliases WHERE tenant_id = $1)::int AS aliases,
              mb.mailboxes, mb.allocated, mb.used_bytes, mb.used_messages
         FROM (SELECT count(*)::int AS mailboxes, coalesce(sum(quota_bytes), 0)::bigint AS allocated,
                      coalesce(sum(used_bytes), 0)::bigint AS used_bytes, coalesce(sum(used_messages), 0)::bigint AS used_messages
                 FROM mailboxes WHERE tenant_id = $1) mb`,
      [tenantId],
    );
    return {
      domains: row.domains,
      mailboxes: row.mailboxes,
      aliases: row.aliases,
      allocatedBytes: Number(row.allocated),
      usedBytes: Number(row.used_bytes),
      usedMessages: Number(row.used_messages),
    };
  }

  async tenantUsage(tenantId: string): Promise<TenantUsage> {
    const tenant = await this.scoped.tenants().get(tenantId);
    const plan = await this.dataSource.manager.findOneByOrFail(PlanEntity, { id: tenant.planId });
    const c = await this.counts(this.dataSource, tenant.id);
    return {
      tenantId: tenant.id,
      domains: limitUsage(c.domains, plan.maxDomains),
      mailboxes: limitUsage(c.mailboxes, plan.maxMailboxes),
      aliases: limitUsage(c.aliases, plan.maxAliases),
      storageAllocated: limitUsage(c.allocatedBytes, plan.storageBytes),
      storageUsedBytes: c.usedBytes,
      messages: c.usedMessages,
    };
  }

  async mailboxUsage(mailboxId: string): Promise<MailboxUsage> {
    const mb = await this.scoped.mailboxes().get(mailboxId);
    return { mailboxId: mb.id, storage: limitUsage(mb.usedBytes, mb.quotaBytes), messages: mb.usedMessages };
  }

  /**
   * Mail received and sent per day, for a tenant or one mailbox (access checked through the scoped
   * repositories first), from `mail_stats_daily`, the per-day counters the mail engine keeps.
   * Days without traffic are left out.
   */
  async dailyMailTraffic(scope: { tenantId?: string | null; mailboxId?: string | null }, from: string, to: string): Promise<DailyMailTraffic[]> {
    const { from: start, to: end } = parseDayRange(from, to);
    let column: 'tenant_id' | 'mailbox_id';
    let id: string;
    if (scope.mailboxId) {
      id = (await this.scoped.mailboxes().get(scope.mailboxId)).id;
      column = 'mailbox_id';
    } else if (scope.tenantId) {
      if (currentActor().role === 'mailbox_owner') throw forbidden('A mailbox owner sees the traffic of its own mailbox only');
      id = (await this.scoped.tenants().get(scope.tenantId)).id;
      column = 'tenant_id';
    } else {
      throw validation('Give a tenantId or a mailboxId', { field: 'tenantId' });
    }
    const rows: { day: string; rm: number; rb: string; sm: number; sb: string }[] = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(received_messages)::int AS rm, sum(received_bytes)::bigint AS rb,
              sum(sent_messages)::int AS sm, sum(sent_bytes)::bigint AS sb
         FROM mail_stats_daily WHERE ${column} = $1 AND day BETWEEN $2::date AND $3::date
        GROUP BY day ORDER BY day`,
      [id, start, end],
    );
    return rows.map((r) => ({ day: r.day, receivedMessages: r.rm, receivedBytes: Number(r.rb), sentMessages: r.sm, sentBytes: Number(r.sb) }));
  }
}
