import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../transformers.js';

/**
 * The platform's figures once a day (UTC), for the provider's charts over time. The API rewrites
 * today's row every few minutes (one process at a time, under an advisory lock); a past day keeps
 * the last snapshot taken on it. Mail per day also lives in `mail_stats_daily` (per mailbox, lost
 * with the mailbox): the copy here keeps the platform's totals after mailboxes are deleted.
 */
@Entity({ name: 'platform_stats_daily' })
export class PlatformStatsDailyEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'integer' })
  tenants!: number;

  @Column({ type: 'integer' })
  domains!: number;

  @Column({ type: 'integer' })
  mailboxes!: number;

  /** Sum of the mailboxes' used bytes. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  storageBytes!: number;

  /** Messages stored in all mailboxes. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  messages!: number;

  /** Outbound messages queued, deferred or being sent. */
  @Column({ type: 'integer' })
  queueSize!: number;

  @Column({ type: 'integer' })
  openAbuseEvents!: number;

  /** Mailboxes blocked from sending (burst detector). */
  @Column({ type: 'integer' })
  blockedMailboxes!: number;

  @Column({ type: 'integer' })
  receivedMessages!: number;

  @Column({ type: 'integer' })
  sentMessages!: number;

  @Column({ type: 'timestamptz' })
  takenAt!: Date;
}
