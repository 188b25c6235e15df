import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { BlobEntity } from './blob.entity.js';
import { MailboxEntity } from './mailbox.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { Timestamped } from './timestamps.js';

export type OutboundState = 'queued' | 'deferred' | 'sending' | 'sent' | 'bounced' | 'cancelled';

/**
 * One remote recipient of one outgoing message. Workers claim due rows with
 * FOR UPDATE SKIP LOCKED and hold a lease, so a crashed worker's rows come back when it expires.
 */
@Entity({ name: 'outbound_queue' })
@Check('CHK_outbound_state', `state IN ('queued', 'deferred', 'sending', 'sent', 'bounced', 'cancelled')`)
@Index('IDX_outbound_due', ['nextAttemptAt'], { where: `state IN ('queued', 'deferred')` })
@Index('IDX_outbound_lease', ['leaseUntil'], { where: `state = 'sending'` })
@Check('CHK_outbound_blob', `blob_id IS NOT NULL OR state IN ('sent', 'bounced', 'cancelled')`)
export class OutboundQueueEntity extends Timestamped {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  mailboxId!: string | null;

  // Mail already accepted is still delivered when the sending mailbox is deleted.
  @ManyToOne(() => MailboxEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox?: Relation<MailboxEntity> | null;

  /**
   * The message; set to NULL when the row reaches a final state (sent, bounced, cancelled) and
   * gives back its blob reference, so the blob can be deleted while the row stays visible.
   */
  @Index()
  @Column({ type: 'bigint', nullable: true })
  blobId!: string | null;

  @ManyToOne(() => BlobEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'blob_id' })
  blob?: Relation<BlobEntity>;

  /** Envelope sender; '' is the null sender (bounces), which never receives a bounce itself. */
  @Column({ type: 'varchar', length: 254 })
  mailFrom!: string;

  @Column({ type: 'varchar', length: 254 })
  rcptTo!: string;

  @Column({ type: 'varchar', length: 253 })
  rcptDomain!: string;

  /** RFC 3461 parameters (RET, ENVID, NOTIFY, ORCPT) kept for the DSN. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  dsn!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  state!: OutboundState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  leasedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
