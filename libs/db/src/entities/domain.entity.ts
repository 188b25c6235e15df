import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';
import { Timestamped } from './timestamps.js';

export type DomainStatus = 'active' | 'suspended';

/** A mail domain hosted for a tenant; the name is lower-case ASCII (IDNA/punycode). */
@Entity({ name: 'domains' })
@Check('CHK_domains_name_lower', `name = lower(name)`)
@Check('CHK_domains_status', `status IN ('active', 'suspended')`)
export class DomainEntity extends Timestamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'varchar', length: 253, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: DomainStatus;

  @Column({ type: 'text', nullable: true })
  suspensionReason!: string | null;

  @Column({ type: 'varchar', length: 63, nullable: true })
  dkimSelector!: string | null;

  @Column({ type: 'text', nullable: true })
  dkimPrivateKey!: string | null;

  @Column({ type: 'text', nullable: true })
  dkimPublicKey!: string | null;

  /** Last DNS check per record kind (MX, SPF, DKIM, DMARC, ...): status, value seen, time. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  dnsStatus!: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  dnsCheckedAt!: Date | null;
}
