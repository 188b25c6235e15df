import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from '@darwin/db';
import { apiKeyMatches, apiKeyPrefix } from '../api-keys/api-key-secret.js';
import { DATA_SOURCE } from '../common/tokens.js';
import type { Actor } from './actor.js';

interface KeyRow {
  id: string;
  prefix: string;
  secret_hash: string;
  scope: 'platform' | 'tenant';
  tenant_id: string | null;
  stale: boolean;
}

/** How often last_used_at is written for a busy key (one UPDATE per key per minute at most). */
const LAST_USED_RESOLUTION = '1 minute';

/**
 * The actor an API key stands for: a platform key acts as a platform admin, a tenant key as that
 * tenant's admin. Revoked or expired keys, and keys whose tenant is gone, stand for nobody.
 */
@Injectable()
export class ApiKeyResolver {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async resolve(key: string): Promise<Actor | undefined> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return undefined;
    const rows: KeyRow[] = await this.dataSource.query(
      `SELECT id, prefix, secret_hash, scope, tenant_id,
              (last_used_at IS NULL OR last_used_at < now() - interval '${LAST_USED_RESOLUTION}') AS stale
         FROM api_keys
        WHERE prefix = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [prefix],
    );
    const row = rows[0];
    if (!row || !apiKeyMatches(key, row.secret_hash)) return undefined;
    if (row.stale) await this.dataSource.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [row.id]);
    if (row.scope === 'platform') return { kind: 'api_key', role: 'platform_admin', id: row.id, email: row.prefix, tenantId: null };
    if (row.tenant_id) return { kind: 'api_key', role: 'tenant_admin', id: row.id, email: row.prefix, tenantId: row.tenant_id };
    return undefined;
  }
}
