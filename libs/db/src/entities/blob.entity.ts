import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../transformers.js';

/**
 * Raw RFC 5322 bytes, content-addressed by SHA-256 and stored once however many messages and
 * queue rows point at it; `refcount` counts those pointers and is kept in the same transactions.
 * The bytes live in `blob_chunks` so a large message streams out chunk by chunk.
 */
@Entity({ name: 'blobs' })
@Check('CHK_blobs_sha256', `octet_length(sha256) = 32`)
@Check('CHK_blobs_counts', `size >= 0 AND refcount >= 0`)
export class BlobEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'bytea', unique: true })
  sha256!: Buffer;

  @Column({ type: 'bigint', transformer: bigintNumber })
  size!: number;

  @Column({ type: 'integer', default: 0 })
  refcount!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
