import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MailboxEntity } from './mailbox.entity.js';

/** When a mailbox last sent its vacation reply to a sender: at most one per sender per interval (RFC 3834). */
@Entity({ name: 'vacation_replies' })
export class VacationReplyEntity {
  @PrimaryColumn({ type: 'uuid' })
  mailboxId!: string;

  @ManyToOne(() => MailboxEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox?: Relation<MailboxEntity>;

  /** The envelope sender replied to, normalised. */
  @PrimaryColumn({ type: 'varchar', length: 254 })
  sender!: string;

  @Column({ type: 'timestamptz' })
  lastSentAt!: Date;
}
