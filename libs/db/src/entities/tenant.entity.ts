import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { PlanEntity } from './plan.entity.js';
import { Timestamped } from './timestamps.js';

export type TenantStatus = 'active' | 'suspended';

/** A customer of the provider. */
@Entity({ name: 'tenants' })
@Check('CHK_tenants_status', `status IN ('active', 'suspended')`)
export class TenantEntity extends Timestamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The billing system's id for this customer (REST provisioning is idempotent on it). */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  externalId!: string | null;

  @Index()
  @Column({ type: 'uuid' })
  planId!: string;

  // A plan in use cannot be deleted: the provider must move its tenants first.
  @ManyToOne(() => PlanEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'plan_id' })
  plan?: Relation<PlanEntity>;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: TenantStatus;

  @Column({ type: 'text', nullable: true })
  suspensionReason!: string | null;
}
