import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../transformers.js';
import { Timestamped } from './timestamps.js';

/** A package the provider sells: every limit the engine and API enforce for its tenants. */
@Entity({ name: 'plans' })
@Check('CHK_plans_limits', `max_domains >= 0 AND max_mailboxes >= 0 AND max_aliases >= 0 AND storage_bytes >= 0
  AND default_mailbox_quota_bytes >= 0 AND max_mailbox_quota_bytes >= default_mailbox_quota_bytes
  AND max_message_bytes > 0 AND send_per_minute >= 0 AND send_per_hour >= 0 AND send_per_day >= 0
  AND max_recipients_per_message > 0`)
export class PlanEntity extends Timestamped {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;

  @Column({ type: 'integer' })
  maxDomains!: number;

  @Column({ type: 'integer' })
  maxMailboxes!: number;

  @Column({ type: 'integer' })
  maxAliases!: number;

  /** Total storage across the tenant's mailboxes. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  storageBytes!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  defaultMailboxQuotaBytes!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  maxMailboxQuotaBytes!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  maxMessageBytes!: number;

  @Column({ type: 'integer' })
  sendPerMinute!: number;

  @Column({ type: 'integer' })
  sendPerHour!: number;

  @Column({ type: 'integer' })
  sendPerDay!: number;

  @Column({ type: 'integer' })
  maxRecipientsPerMessage!: number;

  @Column({ type: 'boolean', default: true })
  imapEnabled!: boolean;

  @Column({ type: 'boolean', default: true })
  pop3Enabled!: boolean;
}
