import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AuthFailureScope = 'account' | 'ip';

/**
 * Failed logins counted per account and per client IP, shared by every process and protocol
 * (SMTP AUTH, IMAP, POP3, the API), in a fixed window that restarts after it expires.
 */
@Entity({ name: 'auth_failures' })
@Check('CHK_auth_failures_scope', `scope IN ('account', 'ip')`)
@Index('IDX_auth_failures_locked', ['lockedUntil'], { where: `locked_until IS NOT NULL` })
export class AuthFailureEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  scope!: AuthFailureScope;

  /** The normalised address (or the raw user name, lower case) or the IP address. */
  @PrimaryColumn({ type: 'varchar', length: 254 })
  key!: string;

  @Column({ type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ type: 'timestamptz' })
  lastFailureAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}
