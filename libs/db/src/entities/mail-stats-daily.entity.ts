import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { bigintNumber } from '../transformers.js';
import { MailboxEntity } from './mailbox.entity.js';
import { TenantEntity } from './tenant.entity.js';

/**
 * Mail received and sent per mailbox and day (UTC), kept by the engine in the same transaction as
 * the delivery or submission it counts. The API sums it per tenant for usage and charts.
 */
@Entity({ name: 'mail_stats_daily' })
@Index('IDX_mail_stats_tenant_day', ['tenantId', 'day'])
export class MailStatsDailyEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'uuid' })
  mailboxId!: string;

  @ManyToOne(() => MailboxEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox?: Relation<MailboxEntity>;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'integer', default: 0 })
  receivedMessages!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  receivedBytes!: number;

  @Column({ type: 'integer', default: 0 })
  sentMessages!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  sentBytes!: number;
}
