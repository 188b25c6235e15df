import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One delivery in progress to a destination (recipient domain or next hop), so that every engine
 * process together keeps to DARWIN_DESTINATION_CONCURRENCY. A worker inserts a row while holding a
 * transaction-scoped advisory lock on the destination (count, then insert), deletes it when done,
 * and renews `lease_until` while delivering; rows of a crashed worker stop counting once it passes.
 */
@Entity({ name: 'outbound_slots' })
export class OutboundSlotEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 300 })
  destination!: string;

  @Column({ type: 'varchar', length: 100 })
  holder!: string;

  @Column({ type: 'timestamptz' })
  leaseUntil!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
