import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SendRateScope = 'mailbox' | 'tenant';
/** Bucket width: seconds feed the per-minute window, minutes the per-hour one, hours the per-day one. */
export type SendRateSpan = 'second' | 'minute' | 'hour';

/**
 * Submission counters for the sliding send-rate windows, shared by every engine process. Each
 * accepted (or refused) submission adds to three buckets per subject (mailbox and tenant); a
 * window is the sum of its buckets. No foreign keys: rows are short-lived and pruned by age.
 */
@Entity({ name: 'send_rate_buckets' })
@Check('CHK_send_rate_scope', `scope IN ('mailbox', 'tenant')`)
@Check('CHK_send_rate_span', `span IN ('second', 'minute', 'hour')`)
@Index('IDX_send_rate_buckets_bucket', ['bucket'])
export class SendRateBucketEntity {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  scope!: SendRateScope;

  @PrimaryColumn({ type: 'uuid' })
  subjectId!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  span!: SendRateSpan;

  /** Start of the bucket (date_trunc of the span). */
  @PrimaryColumn({ type: 'timestamptz' })
  bucket!: Date;

  /** Recipients of every submission that reached the end of DATA (burst detection). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Recipients of the submissions accepted (the rate limits). */
  @Column({ type: 'integer', default: 0 })
  accepted!: number;
}
