import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { OperatorEntity } from './operator.entity.js';

/** One-time codes that stand in for a TOTP code when the operator's device is lost (SHA-256 kept). */
@Entity({ name: 'operator_recovery_codes' })
export class OperatorRecoveryCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  operatorId!: string;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'operator_id' })
  operator?: Relation<OperatorEntity>;

  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
