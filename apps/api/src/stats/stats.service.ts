import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from '@darwin/db';
import type { Logger } from '@darwin/logger';
import { parseDayRange, type DayRange } from '../common/day-range.js';
import { ScopedRepositories } from '../common/scoped-repository.js';
import { API_SETTINGS, DATA_SOURCE, LOGGER } from '../common/tokens.js';
import type { ApiSettings } from '../config/api-settings.js';
import { takeSnapshot } from './stats-snapshot.js';
import type { DailyPlatformStats, DailyTenantStats } from './stats.type.js';

interface SnapshotRow {
  day: string;
  received: number;
  sent: number;
  domains: number | null;
  mailboxes: number | null;
  storage_bytes: string | null;
  messages: string | null;
  queue_size: number | null;
  open_abuse_events: number | null;
  blocked_mailboxes: number | null;
  taken_at: Date | null;
}

const nullableNumber = (v: string | null) => (v === null ? null : Number(v));

/**
 * Figures per day for charts over time: the daily snapshots (platform_stats_daily,
 * tenant_stats_daily; see stats-snapshot.ts) joined with mail per day from mail_stats_daily.
 * Every day of the range is answered; the snapshot figures are null on days the platform did not
 * run (history starts with the first snapshot), the mail counts are 0 on days without mail.
 */
@Injectable()
export class StatsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly scoped: ScopedRepositories,
  ) {}

  /**
   * Writes today's snapshot when it is older than `maxAgeMs` (one writer at a time across API
   * processes). The timer gives up when another process holds the lock; a reader waits for it.
   */
  async refresh(maxAgeMs: number, wait: boolean): Promise<boolean> {
    return this.dataSource.transaction((m) => takeSnapshot(m, { maxAgeMs, wait }));
  }

  async platformStats(from: string, to: string): Promise<DailyPlatformStats[]> {
    const range = parseDayRange(from, to);
    await this.freshenFor(range);
    const rows: (SnapshotRow & { tenants: number | null })[] = await this.dataSource.query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              GREATEST(coalesce(ms.rm, 0), coalesce(p.received_messages, 0)) AS received,
              GREATEST(coalesce(ms.sm, 0), coalesce(p.sent_messages, 0)) AS sent,
              p.tenants, p.domains, p.mailboxes, p.storage_bytes, p.messages, p.queue_size, p.open_abuse_events, p.blocked_mailboxes, p.taken_at
         FROM generate_series($1::date, $2::date, interval '1 day') AS d(day)
         LEFT JOIN platform_stats_daily p ON p.day = d.day::date
         LEFT JOIN (SELECT day, sum(received_messages)::int AS rm, sum(sent_messages)::int AS sm
                      FROM mail_stats_daily WHERE day BETWEEN $1::date AND $2::date GROUP BY day) ms ON ms.day = d.day::date
        ORDER BY d.day`,
      [range.from, range.to],
    );
    return rows.map((r) => ({ ...common(r), tenants: r.tenants }));
  }

  async tenantStats(tenantId: string, from: string, to: string): Promise<DailyTenantStats[]> {
    const range = parseDayRange(from, to);
    const tenant = await this.scoped.tenants().get(tenantId);
    await this.freshenFor(range);
    const rows: (SnapshotRow & { aliases: number | null })[] = await this.dataSource.query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
              GREATEST(coalesce(ms.rm, 0), coalesce(s.received_messages, 0)) AS received,
              GREATEST(coalesce(ms.sm, 0), coalesce(s.sent_messages, 0)) AS sent,
              s.domains, s.mailboxes, s.aliases, s.storage_bytes, s.messages, s.queue_size, s.open_abuse_events, s.blocked_mailboxes, s.taken_at
         FROM generate_series($2::date, $3::date, interval '1 day') AS d(day)
         LEFT JOIN tenant_stats_daily s ON s.tenant_id = $1 AND s.day = d.day::date
         LEFT JOIN (SELECT day, sum(received_messages)::int AS rm, sum(sent_messages)::int AS sm
                      FROM mail_stats_daily WHERE tenant_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY day) ms ON ms.day = d.day::date
        ORDER BY d.day`,
      [tenant.id, range.from, range.to],
    );
    return rows.map((r) => ({ ...common(r), tenantId: tenant.id, aliases: r.aliases }));
  }

  /**
   * A range reaching today gets today's snapshot refreshed first when it is older than the
   * interval. A failed refresh (say, a tenant deleted meanwhile) is logged and the last snapshot served.
   */
  private async freshenFor(range: DayRange): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    if (range.to < today) return;
    try {
      await this.refresh(this.settings.statsIntervalMs, true);
    } catch (err) {
      this.logger.warn('statistics snapshot failed', { err });
    }
  }
}

function common(r: SnapshotRow) {
  return {
    day: r.day,
    receivedMessages: r.received,
    sentMessages: r.sent,
    domains: r.domains,
    mailboxes: r.mailboxes,
    storageBytes: nullableNumber(r.storage_bytes),
    messages: nullableNumber(r.messages),
    queueSize: r.queue_size,
    openAbuseEvents: r.open_abuse_events,
    blockedMailboxes: r.blocked_mailboxes,
    takenAt: r.taken_at,
  };
}
