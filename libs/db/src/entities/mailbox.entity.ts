import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { bigintNumber } from '../transformers.js';
import { DomainEntity } from './domain.entity.js';
import { TenantEntity } from './tenant.entity.js';
import { Timestamped } from './timestamps.js';

/**
 * A mailbox. `tenantId` duplicates the domain's tenant so every tenant-scoped query filters one
 * column. Usage columns change only in the same transaction as the message rows (mail-store).
 */
@Entity({ name: 'mailboxes' })
@Check('CHK_mailboxes_address_lower', `address = lower(address) AND local_part = lower(local_part)`)
@Check('CHK_mailboxes_usage', `used_bytes >= 0 AND used_messages >= 0 AND quota_bytes >= 0 AND (quota_messages IS NULL OR quota_messages >= 0)`)
@Index('IDX_mailboxes_domain_local', ['domainId', 'localPart'], { unique: true })
// The control plane lists a tenant's mailboxes by (created_at, id) pages: this serves them from the
// index instead of sorting the tenant's rows on every page (added by the API's migration).
@Index('IDX_mailboxes_tenant_created', ['tenantId', 'createdAt', 'id'])
export class MailboxEntity extends Timestamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<TenantEntity>;

  @Column({ type: 'uuid' })
  domainId!: string;

  @ManyToOne(() => DomainEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'domain_id' })
  domain?: Relation<DomainEntity>;

  @Column({ type: 'varchar', length: 64 })
  localPart!: string;

  /** `local@domain`, lower case; what SMTP RCPT, IMAP LOGIN and POP3 USER look up. */
  @Column({ type: 'varchar', length: 254, unique: true })
  address!: string;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  displayName!: string | null;

  @Column({ type: 'bigint', transformer: bigintNumber })
  quotaBytes!: number;

  @Column({ type: 'integer', nullable: true })
  quotaMessages!: number | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  usedBytes!: number;

  @Column({ type: 'integer', default: 0 })
  usedMessages!: number;

  @Column({ type: 'boolean', default: false })
  loginSuspended!: boolean;

  @Column({ type: 'boolean', default: false })
  sendSuspended!: boolean;

  @Column({ type: 'boolean', default: false })
  receiveSuspended!: boolean;

  @Column({ type: 'text', nullable: true })
  suspensionReason!: string | null;

  /** Set by the burst detector; cleared only by an operator's release. */
  @Column({ type: 'timestamptz', nullable: true })
  outboundBlockedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  outboundBlockedReason!: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  forwardTo!: string[];

  @Column({ type: 'boolean', default: true })
  forwardKeepCopy!: boolean;

  @Column({ type: 'boolean', default: false })
  vacationEnabled!: boolean;

  @Column({ type: 'text', nullable: true })
  vacationSubject!: string | null;

  @Column({ type: 'text', nullable: true })
  vacationBody!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  vacationStartsAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  vacationEndsAt!: Date | null;

  /** Null follows the plan; true/false overrides it for this mailbox. */
  @Column({ type: 'boolean', nullable: true })
  imapEnabled!: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  pop3Enabled!: boolean | null;

  /** Provider overrides of the plan's send rates; null follows the plan. */
  @Column({ type: 'integer', nullable: true })
  sendPerMinute!: number | null;

  @Column({ type: 'integer', nullable: true })
  sendPerHour!: number | null;

  @Column({ type: 'integer', nullable: true })
  sendPerDay!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}
