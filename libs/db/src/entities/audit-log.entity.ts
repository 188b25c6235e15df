import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditActorType = 'operator' | 'mailbox' | 'api_key' | 'system';

/**
 * Append-only record of every control-plane change. A trigger refuses UPDATE, DELETE and
 * TRUNCATE. `tenant_id` has no foreign key on purpose: the record outlives the tenant.
 */
@Entity({ name: 'audit_log' })
@Check('CHK_audit_actor_type', `actor_type IN ('operator', 'mailbox', 'api_key', 'system')`)
@Index('IDX_audit_tenant_time', ['tenantId', 'createdAt'])
@Index('IDX_audit_target', ['targetType', 'targetId'])
@Index('IDX_audit_actor', ['actorId', 'createdAt'])
@Index('IDX_audit_impersonation', ['impersonationId'], { where: 'impersonation_id IS NOT NULL' })
export class AuditLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  actorType!: AuditActorType;

  @Column({ type: 'varchar', length: 64, nullable: true })
  actorId!: string | null;

  /** Readable actor (an e-mail address or a key prefix), kept even if the actor is deleted. */
  @Column({ type: 'varchar', length: 254 })
  actorLabel!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  action!: string;

  @Column({ type: 'varchar', length: 50 })
  targetType!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestId!: string | null;

  /**
   * Set when the change was made while a platform admin acted as a tenant admin: the
   * `impersonation_sessions` row (no foreign key: the record outlives the session). The actor
   * columns then name that platform admin, never a made-up tenant admin.
   */
  @Column({ type: 'uuid', nullable: true })
  impersonationId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
