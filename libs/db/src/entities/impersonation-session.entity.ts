import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { OperatorEntity } from './operator.entity.js';
import { TenantEntity } from './tenant.entity.js';

/**
 * A platform admin acting as the admin of one tenant (API `impersonateTenant`). The access token
 * handed out names this row; the API accepts the token only while the row is not ended or expired
 * and its operator still is a platform admin. Audit rows written while acting carry its id
 * (`audit_log.impersonation_id`), with the real operator as actor.
 */
@Entity({ name: 'impersonation_sessions' })
export class ImpersonationSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  operatorId!: string;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'operator_id' })
  operator?: Relation<OperatorEntity>;

  @Index()
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  /** Why the operator acts as the tenant's admin (also in the `tenant.impersonate` audit row). */
  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Set by `stopImpersonation`; the token stops working at once. */
  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
