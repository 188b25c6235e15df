import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { MailboxEntity } from './mailbox.entity.js';
import { TenantEntity } from './tenant.entity.js';

/** What the burst detector and the login guards recorded, and who resolved it. */
@Entity({ name: 'abuse_events' })
@Index('IDX_abuse_events_tenant_time', ['tenantId', 'createdAt'])
@Index('IDX_abuse_events_open', ['createdAt'], { where: `resolved_at IS NULL` })
export class AbuseEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity> | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  mailboxId!: string | null;

  @ManyToOne(() => MailboxEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox?: Relation<MailboxEntity> | null;

  /** e.g. send_burst, auth_failures. */
  @Column({ type: 'varchar', length: 64 })
  kind!: string;

  /** Figures behind the decision: counts per window, limits, client IPs. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  details!: Record<string, unknown>;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  resolvedBy!: string | null;
}
