import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { DomainEntity } from './domain.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { Timestamped } from './timestamps.js';

/** `local@domain` (or `@domain`, the catch-all) delivered to one or more local or external addresses. */
@Entity({ name: 'aliases' })
@Check('CHK_aliases_source_lower', `source = lower(source)`)
@Check('CHK_aliases_destinations', `cardinality(destinations) >= 1`)
export class AliasEntity extends Timestamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  @Index()
  @Column({ type: 'uuid' })
  domainId!: string;

  @ManyToOne(() => DomainEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'domain_id' })
  domain?: Relation<DomainEntity>;

  @Column({ type: 'varchar', length: 254, unique: true })
  source!: string;

  @Column({ type: 'text', array: true })
  destinations!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
