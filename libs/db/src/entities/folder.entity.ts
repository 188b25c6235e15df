import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { bigintNumber } from '../transformers.js';
import { MailboxEntity } from './mailbox.entity.js';

/**
 * An IMAP mailbox ("folder" here, to keep "mailbox" for the account). `uidnext` and
 * `highestModseq` are advanced by a guarded UPDATE in the delivering transaction, so the row lock
 * orders concurrent deliveries and UIDs are assigned in commit order, without gaps or reuse.
 */
@Entity({ name: 'folders' })
@Index('IDX_folders_mailbox_name', ['mailboxId', 'name'], { unique: true })
@Check('CHK_folders_counters', `uidnext >= 1 AND highest_modseq >= 1 AND uidvalidity >= 1 AND uidvalidity <= 4294967295`)
export class FolderEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  mailboxId!: string;

  @ManyToOne(() => MailboxEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox?: Relation<MailboxEntity>;

  /** Full path, UTF-8, "/" as the hierarchy delimiter; INBOX is always spelled "INBOX". */
  @Column({ type: 'varchar', length: 1024 })
  name!: string;

  /** RFC 6154 attribute (\Sent, \Drafts, \Trash, \Junk, \Archive, ...) or null. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  specialUse!: string | null;

  @Column({ type: 'boolean', default: true })
  subscribed!: boolean;

  @Column({ type: 'bigint', transformer: bigintNumber })
  uidvalidity!: number;

  @Column({ type: 'bigint', default: 1, transformer: bigintNumber })
  uidnext!: number;

  @Column({ type: 'bigint', default: 1, transformer: bigintNumber })
  highestModseq!: number;

  /**
   * First UID not yet shown as \Recent (RFC 3501 2.3.2): the next read-write SELECT takes every
   * UID from here to uidnext as its own recent messages and moves this to uidnext.
   */
  @Column({ type: 'bigint', default: 1, transformer: bigintNumber })
  recentUid!: number;

  /**
   * Highest modseq among this folder's pruned expunge records: expunges since an older modseq are
   * no longer all recorded, so VANISHED (EARLIER) is then computed from the UIDs still present.
   */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  vanishedHorizon!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
