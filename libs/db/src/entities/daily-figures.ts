import { Column } from 'typeorm';
import { bigintNumber } from '../transformers.js';

/**
 * The figures a daily snapshot keeps, for the platform (`platform_stats_daily`) and for each
 * tenant (`tenant_stats_daily`): columns inherited by both entities.
 */
export abstract class DailyFigures {
  @Column({ type: 'integer' })
  domains!: number;

  @Column({ type: 'integer' })
  mailboxes!: number;

  /** Sum of the mailboxes' used bytes. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  storageBytes!: number;

  /** Messages stored in the mailboxes. */
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
