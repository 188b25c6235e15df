import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@darwin/core';
import { RefreshTokenEntity, type DataSource, type EntityManager } from '@darwin/db';
import { sqlRows } from '../common/sql.js';
import { API_SETTINGS, DATA_SOURCE } from '../common/tokens.js';
import type { ApiSettings } from '../config/api-settings.js';
import type { Actor } from './actor.js';

export interface IssuedRefreshToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Whose session a refresh token continues. */
export interface RefreshOwner {
  readonly kind: 'operator' | 'mailbox';
  readonly id: string;
}

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const TOKEN = /^rt_[A-Za-z0-9_-]{43}$/;

/**
 * Refresh tokens with rotation and reuse detection (OAuth 2.0 Security BCP, section 4.14): each
 * refresh uses its token up and returns the next one of the same family; a used token presented
 * again revokes the whole family, so a stolen token stops working for both the thief and the owner.
 */
@Injectable()
export class RefreshTokens {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  get ttlMs(): number {
    return this.settings.refreshTokenTtlMs;
  }

  /** A new token; `familyId` continues a session, none starts one. Runs in the caller's transaction. */
  async issue(m: EntityManager, actor: Actor, ip: string | null, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
    if (actor.kind === 'api_key') throw new Error('API keys have no sessions');
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + this.settings.refreshTokenTtlMs);
    await m.insert(RefreshTokenEntity, {
      familyId,
      tokenHash: hash(token),
      operatorId: actor.kind === 'operator' ? actor.id : null,
      mailboxId: actor.kind === 'mailbox' ? actor.id : null,
      expiresAt,
      ip,
    });
    return { token, expiresAt };
  }

  /**
   * Uses the token up and answers its owner and family. A reused token revokes its family (in a
   * transaction of its own, which commits before the refusal is thrown).
   */
  async consume(token: string): Promise<{ owner: RefreshOwner; familyId: string }> {
    const refused = () => new DomainError('UNAUTHENTICATED', 'Invalid or expired refresh token');
    if (!TOKEN.test(token)) throw refused();
    const outcome = await this.dataSource.transaction(async (m) => {
      const row = await m.findOne(RefreshTokenEntity, { where: { tokenHash: hash(token) }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return undefined;
      if (row.usedAt) {
        await m.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [row.familyId]);
        return 'reused' as const;
      }
      await m.update(RefreshTokenEntity, { id: row.id }, { usedAt: new Date() });
      const owner: RefreshOwner = row.operatorId ? { kind: 'operator', id: row.operatorId } : { kind: 'mailbox', id: row.mailboxId! };
      return { owner, familyId: row.familyId };
    });
    if (outcome === undefined) throw refused();
    if (outcome === 'reused') throw new DomainError('UNAUTHENTICATED', 'Refresh token reused; the session has been ended', { reason: 'REFRESH_TOKEN_REUSED' });
    return outcome;
  }

  /** Ends the session the token belongs to (logout). Unknown tokens are ignored. */
  async revokeFamilyOf(token: string): Promise<boolean> {
    if (!TOKEN.test(token)) return false;
    const rows = await sqlRows(
      this.dataSource,
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL RETURNING id`,
      [hash(token)],
    );
    return rows.length > 0;
  }

  /** Ends every session of an account (password reset, TOTP change, lock). */
  async revokeAllFor(m: EntityManager, owner: RefreshOwner): Promise<void> {
    const column = owner.kind === 'operator' ? 'operator_id' : 'mailbox_id';
    await m.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE ${column} = $1 AND revoked_at IS NULL`, [owner.id]);
  }
}
