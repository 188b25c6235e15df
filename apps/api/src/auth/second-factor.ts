import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OperatorRecoveryCodeEntity, type DataSource, type EntityManager } from '@darwin/db';
import { sqlRows } from '../common/sql.js';
import { DATA_SOURCE } from '../common/tokens.js';
import { base32Encode, verifyTotp } from './totp.js';

export const RECOVERY_CODE_COUNT = 10;

const hashCode = (code: string) => createHash('sha256').update(normalizeRecoveryCode(code), 'utf8').digest('hex');

function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

/** `abcde-fghij`: 50 random bits, base32, easy to type from paper. */
function newRecoveryCode(): string {
  const raw = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/**
 * Checks an operator's second factor: a TOTP code (each time step accepted once, recorded in
 * operators.totp_last_step under a row lock so two concurrent logins cannot both use it) or one of
 * the recovery codes (each used once).
 */
@Injectable()
export class SecondFactor {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async verify(operatorId: string, code: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query(`SELECT totp_secret, totp_enabled, totp_last_step FROM operators WHERE id = $1 FOR UPDATE`, [operatorId]);
      if (!row?.totp_enabled || !row.totp_secret) return false;
      if (/^\s*\d{6}\s*$/.test(code)) {
        const step = verifyTotp(row.totp_secret, code, Date.now(), row.totp_last_step === null ? null : Number(row.totp_last_step));
        if (step === undefined) return false;
        await m.query(`UPDATE operators SET totp_last_step = $2 WHERE id = $1`, [operatorId, step]);
        return true;
      }
      return this.useRecoveryCode(m, operatorId, code);
    });
  }

  /** Replaces the operator's recovery codes with new ones and answers them (shown once). */
  async newRecoveryCodes(m: EntityManager, operatorId: string): Promise<string[]> {
    await m.delete(OperatorRecoveryCodeEntity, { operatorId });
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await m.insert(
      OperatorRecoveryCodeEntity,
      codes.map((c) => ({ operatorId, codeHash: hashCode(c), usedAt: null })),
    );
    return codes;
  }

  async remainingRecoveryCodes(operatorId: string): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM operator_recovery_codes WHERE operator_id = $1 AND used_at IS NULL`, [operatorId]);
    return row.n;
  }

  private async useRecoveryCode(m: EntityManager, operatorId: string, code: string): Promise<boolean> {
    if (normalizeRecoveryCode(code).length !== 10) return false;
    const used = await sqlRows(
      m,
      `UPDATE operator_recovery_codes SET used_at = now()
        WHERE id = (SELECT id FROM operator_recovery_codes WHERE operator_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1)
        RETURNING id`,
      [operatorId, hashCode(code)],
    );
    return used.length === 1;
  }
}
