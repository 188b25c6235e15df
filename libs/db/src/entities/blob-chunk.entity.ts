import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { BlobEntity } from './blob.entity.js';

/** One slice (at most 256 KiB) of a blob, in order of `seq`. */
@Entity({ name: 'blob_chunks' })
export class BlobChunkEntity {
  @PrimaryColumn({ type: 'bigint' })
  blobId!: string;

  @ManyToOne(() => BlobEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'blob_id' })
  blob?: Relation<BlobEntity>;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'bytea' })
  data!: Buffer;
}
