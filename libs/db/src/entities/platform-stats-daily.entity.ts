import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DailyFigures } from './daily-figures.js';

/**
 * The platform's figures once a day (UTC), for the provider's charts over time. The API rewrites
 * today's row every few minutes (one process at a time, under an advisory lock); a past day keeps
 * the last snapshot taken on it. Mail per day also lives in `mail_stats_daily` (per mailbox, lost
 * with the mailbox): the copy here keeps the platform's totals after mailboxes are deleted.
 */
@Entity({ name: 'platform_stats_daily' })
export class PlatformStatsDailyEntity extends DailyFigures {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'integer' })
  tenants!: number;
}
