import type { DataSource } from '@darwin/db';
import { sqlRows } from '../common/sql.js';

export interface OperatorLockoutOptions {
  readonly maxFailures: number;
  readonly lockoutMs: number;
}

/**
 * Operator accounts lock in the database (operators.failed_logins / locked_until), so the lock
 * holds in every API process: a run of `maxFailures` wrong passwords or TOTP codes without a
 * success locks the account for `lockoutMs` and records one abuse event. A locked account is
 * refused even with the right password, with the same answer as a wrong one.
 */
export async function recordOperatorFailure(
  ds: DataSource,
  operatorId: string,
  ip: string | null,
  opts: OperatorLockoutOptions,
): Promise<{ locked: boolean }> {
  return ds.transaction(async (m) => {
    const rows = await sqlRows<{ failed_logins: number; locked_until: Date | null; tenant_id: string | null; email: string }>(
      m,
      `UPDATE operators
          SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
              locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
        WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
        RETURNING failed_logins, locked_until, tenant_id, email`,
      [operatorId, opts.maxFailures, opts.lockoutMs / 1000],
    );
    const row = rows[0];
    const locked = !!row && row.failed_logins === 0 && !!row.locked_until && row.locked_until.getTime() > Date.now();
    if (locked) {
      await m.query(`INSERT INTO abuse_events (tenant_id, kind, details, ip) VALUES ($1, 'auth_failures', $2::jsonb, $3::inet)`, [
        row.tenant_id,
        JSON.stringify({ scope: 'operator', operatorId, login: row.email, failures: opts.maxFailures, lockoutMs: opts.lockoutMs, protocol: 'api' }),
        ip,
      ]);
    }
    return { locked };
  });
}

export async function clearOperatorFailures(ds: DataSource, operatorId: string): Promise<void> {
  await ds.query(`UPDATE operators SET failed_logins = 0 WHERE id = $1 AND failed_logins <> 0`, [operatorId]);
}
