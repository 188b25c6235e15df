import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { OperatorEntity } from './operator.entity.js';
import { TenantEntity } from './tenant.entity.js';

export type ApiKeyScope = 'platform' | 'tenant';

/**
 * Keys for automation. The secret is shown once; only its SHA-256 is kept (keys are random and
 * long, so a slow hash adds nothing). The visible prefix identifies a key in lists and logs.
 */
@Entity({ name: 'api_keys' })
@Check('CHK_api_keys_scope', `(scope = 'platform' AND tenant_id IS NULL) OR (scope = 'tenant' AND tenant_id IS NOT NULL)`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 24, unique: true })
  prefix!: string;

  @Column({ type: 'varchar', length: 64 })
  secretHash!: string;

  @Column({ type: 'varchar', length: 16 })
  scope!: ApiKeyScope;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity> | null;

  @Column({ type: 'uuid', nullable: true })
  createdById!: string | null;

  // Keys outlive the operator who made them: deleting a person must not break automation.
  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: Relation<OperatorEntity> | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
