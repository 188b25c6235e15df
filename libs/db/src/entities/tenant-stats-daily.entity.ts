import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { bigintNumber } from '../transformers.js';
import { TenantEntity } from './tenant.entity.js';

/**
 * One tenant's figures once a day (UTC), written with `platform_stats_daily` in the same snapshot:
 * the customer portal's usage over time. Goes with the tenant.
 */
@Entity({ name: 'tenant_stats_daily' })
@Index('IDX_tenant_stats_tenant_day', ['tenantId', 'day'])
export class TenantStatsDailyEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'integer' })
  domains!: number;

  @Column({ type: 'integer' })
  mailboxes!: number;

  @Column({ type: 'integer' })
  aliases!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  storageBytes!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  messages!: number;

  @Column({ type: 'integer' })
  queueSize!: number;

  @Column({ type: 'integer' })
  openAbuseEvents!: number;

  @Column({ type: 'integer' })
  blockedMailboxes!: number;

  @Column({ type: 'integer' })
  receivedMessages!: number;

  @Column({ type: 'integer' })
  sentMessages!: number;

  @Column({ type: 'timestamptz' })
  takenAt!: Date;
}
