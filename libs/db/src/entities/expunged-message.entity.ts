import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { bigintNumber } from '../transformers.js';
import { FolderEntity } from './folder.entity.js';

/**
 * A UID removed from a folder and the modseq of its removal, so that IMAP sessions learn of
 * expunges made elsewhere (EXPUNGE) and QRESYNC clients get `VANISHED (EARLIER)` (RFC 7162 3.2.10).
 * The rows go with their folder, and are pruned after a retention period.
 */
@Entity({ name: 'expunged_messages' })
@Index('IDX_expunged_messages_folder_modseq', ['folderId', 'modseq'])
@Index('IDX_expunged_messages_expunged_at', ['expungedAt'])
export class ExpungedMessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  folderId!: string;

  @ManyToOne(() => FolderEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'folder_id' })
  folder?: Relation<FolderEntity>;

  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  uid!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  modseq!: number;

  /** Records older than DARWIN_EXPUNGED_RETENTION are pruned (folders.vanished_horizon remembers how far). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  expungedAt!: Date;
}
