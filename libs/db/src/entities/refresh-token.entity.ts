import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { MailboxEntity } from './mailbox.entity.js';
import { OperatorEntity } from './operator.entity.js';

/**
 * Control-plane refresh tokens (API only). Each login starts a family; every refresh uses up one
 * token and issues the next in the same family. Presenting a used token again means it was copied:
 * the whole family is revoked. Only the SHA-256 of the token is kept (it is random and long).
 */
@Entity({ name: 'refresh_tokens' })
@Check('CHK_refresh_tokens_owner', `(operator_id IS NOT NULL AND mailbox_id IS NULL) OR (operator_id IS NULL AND mailbox_id IS NOT NULL)`)
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  familyId!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  operatorId!: string | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'operator_id' })
  operator?: Relation<OperatorEntity> | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  mailboxId!: string | null;

  @ManyToOne(() => MailboxEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox?: Relation<MailboxEntity> | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when the token was exchanged for its successor. */
  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
