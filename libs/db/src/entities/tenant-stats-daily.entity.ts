import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { DailyFigures } from './daily-figures.js';
import { TenantEntity } from './tenant.entity.js';

/**
 * One tenant's figures once a day (UTC), written with `platform_stats_daily` in the same snapshot:
 * the customer portal's usage over time. Goes with the tenant.
 */
@Entity({ name: 'tenant_stats_daily' })
@Index('IDX_tenant_stats_tenant_day', ['tenantId', 'day'])
export class TenantStatsDailyEntity extends DailyFigures {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'integer' })
  aliases!: number;
}
