import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { bigintNumber } from '../transformers.js';
import { BlobEntity } from './blob.entity.js';
import { FolderEntity } from './folder.entity.js';
import { MailboxEntity } from './mailbox.entity.js';

/**
 * One message in one folder. What IMAP needs without re-reading the blob is computed once at
 * delivery: envelope, body structure, the header fields SEARCH looks at and a text-search vector.
 */
@Entity({ name: 'messages' })
@Index('IDX_messages_folder_uid', ['folderId', 'uid'], { unique: true })
@Index('IDX_messages_folder_modseq', ['folderId', 'modseq'])
@Check('CHK_messages_numbers', `uid >= 1 AND modseq >= 1 AND size >= 0`)
export class MessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  folderId!: string;

  @ManyToOne(() => FolderEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'folder_id' })
  folder?: Relation<FolderEntity>;

  /** Denormalised for quota sums and POP3's INBOX listing without a join. */
  @Index()
  @Column({ type: 'uuid' })
  mailboxId!: string;

  @ManyToOne(() => MailboxEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox?: Relation<MailboxEntity>;

  @Column({ type: 'bigint', transformer: bigintNumber })
  uid!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  modseq!: number;

  /** System flags and keywords, e.g. {\Seen,$Forwarded}. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  flags!: string[];

  @Column({ type: 'timestamptz' })
  internalDate!: Date;

  @Column({ type: 'bigint', transformer: bigintNumber })
  size!: number;

  @Index()
  @Column({ type: 'bigint' })
  blobId!: string;

  // A blob is deleted by the store when its refcount reaches zero, never by cascade.
  @ManyToOne(() => BlobEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'blob_id' })
  blob?: Relation<BlobEntity>;

  @Column({ type: 'jsonb', nullable: true })
  envelope!: unknown;

  /** The ENVELOPE in IMAP wire form, rendered at delivery (FETCH ENVELOPE copies it). */
  @Column({ type: 'text', nullable: true })
  envelopeImap!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  bodystructure!: unknown;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text', nullable: true })
  fromAddr!: string | null;

  @Column({ type: 'text', nullable: true })
  toAddr!: string | null;

  @Column({ type: 'text', nullable: true })
  messageId!: string | null;

  /** The Date header, for SENTBEFORE/SENTON/SENTSINCE. */
  @Column({ type: 'timestamptz', nullable: true })
  sentDate!: Date | null;

  /** The top-level header, unfolded and decoded, one "name: value" per line (IMAP SEARCH HEADER, FROM, CC ...). */
  @Column({ type: 'text', nullable: true })
  headerText!: string | null;

  /**
   * Decoded text of the text parts, capped (IMAP SEARCH BODY/TEXT). NULL until the folder's bodies
   * are first searched: delivery does not extract it; the search does, for the rows that arrived
   * since the last one, and sets `search_indexed` (as Dovecot's FTS indexes lazily). IMAP asks for
   * substrings, not words, so it has a trigram index (pg_trgm, created by the migration) rather
   * than a tsvector, partial (`WHERE search_indexed`) so that delivery does not pay for it.
   */
  @Index('IDX_messages_body_trgm', { synchronize: false })
  @Column({ type: 'text', nullable: true })
  bodyText!: string | null;

  /** Whether `body_text` has been extracted (and the row is in the trigram index). */
  @Index('IDX_messages_unindexed', { synchronize: false })
  @Column({ type: 'boolean', default: false })
  searchIndexed!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
