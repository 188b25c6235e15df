import { randomBytes } from 'node:crypto';
import { hashPassword } from '@darwin/core';
import type { DataSource } from 'typeorm';
import { OperatorEntity, PlanEntity } from './entities/index.js';
import { PLAN_DEFAULTS } from './plan-defaults.js';

export interface BootstrapOptions {
  readonly adminEmail: string;
  /** When absent a password is generated and returned, so the caller can print it once. */
  readonly adminPassword?: string;
  readonly defaultQuotaBytes: number;
}

export interface BootstrapResult {
  readonly createdPlan: boolean;
  /** Set only when the admin was created by this call. */
  readonly createdAdmin?: { email: string; password: string; generated: boolean };
}

export const DEFAULT_PLAN_NAME = 'Default';

/**
 * First-start setup, idempotent: the Default plan when no plan exists, and the platform admin when
 * no platform admin exists. Serialised with an advisory lock so concurrent starts create one of each.
 */
export async function bootstrapPlatform(ds: DataSource, opts: BootstrapOptions): Promise<BootstrapResult> {
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [0x4441_5258]);
    let createdPlan = false;
    if ((await m.count(PlanEntity)) === 0) {
      const quota = opts.defaultQuotaBytes;
      await m.insert(PlanEntity, {
        name: DEFAULT_PLAN_NAME,
        ...PLAN_DEFAULTS,
        // Storage follows the configured default mailbox quota (DARWIN_DEFAULT_QUOTA).
        storageBytes: quota * 100,
        defaultMailboxQuotaBytes: quota,
        maxMailboxQuotaBytes: quota * 10,
      });
      createdPlan = true;
    }
    if ((await m.count(OperatorEntity, { where: { role: 'platform_admin' } })) > 0) return { createdPlan };
    const generated = opts.adminPassword === undefined;
    const password = opts.adminPassword ?? randomBytes(12).toString('base64url');
    const email = opts.adminEmail.toLowerCase();
    await m.insert(OperatorEntity, { email, passwordHash: await hashPassword(password), role: 'platform_admin', tenantId: null });
    return { createdPlan, createdAdmin: { email, password, generated } };
  });
}
