import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TenantEntity } from './tenant.entity.js';
import { Timestamped } from './timestamps.js';

export type OperatorRole = 'platform_admin' | 'tenant_admin';

/** A person who logs in to the dashboard: the provider's staff or a customer's admin. */
@Entity({ name: 'operators' })
@Check('CHK_operators_email_lower', `email = lower(email)`)
@Check('CHK_operators_role_tenant', `(role = 'platform_admin' AND tenant_id IS NULL) OR (role = 'tenant_admin' AND tenant_id IS NOT NULL)`)
export class OperatorEntity extends Timestamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 32 })
  role!: OperatorRole;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity> | null;

  @Column({ type: 'text', nullable: true })
  totpSecret!: string | null;

  @Column({ type: 'boolean', default: false })
  totpEnabled!: boolean;

  /** RFC 6238 time step of the last accepted code: a code is accepted once (added by the API's migration). */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  @Column({ type: 'integer', default: 0 })
  failedLogins!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}
