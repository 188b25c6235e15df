import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '@darwin/config';
import type { EntityManager } from '@darwin/db';
import { CONFIG } from '../common/tokens.js';
import type { Actor } from './actor.js';
import { signAccessToken } from './jwt.js';
import { RefreshTokens } from './refresh-tokens.js';
import { requestContext } from './request-context.js';

/** Name of the httpOnly cookie that carries the refresh token for browsers talking to the API. */
export const REFRESH_COOKIE = 'darwin_refresh';
/** The cookie is sent to the GraphQL endpoint only (refresh and logout are mutations there). */
export const REFRESH_COOKIE_PATH = '/graphql';
/** An enrolment-only token is short-lived: it exists to reach the TOTP enrolment, nothing else. */
const ENROLLMENT_TOKEN_TTL_MS = 15 * 60_000;

export interface Session {
  readonly token: string;
  readonly expiresAt: Date;
  /** Absent for enrolment-only sessions. */
  readonly refreshToken: string | null;
  readonly refreshExpiresAt: Date | null;
  readonly actor: Actor;
}

/**
 * Issues what a login or refresh hands out: a short-lived access token (HS256 JWT) and, except for
 * enrolment-only sessions, a refresh token, also set as an httpOnly SameSite=Strict cookie limited
 * to /graphql (browsers talking to the API directly keep it out of reach of scripts).
 */
@Injectable()
export class Sessions {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  async start(m: EntityManager, actor: Actor, familyId?: string): Promise<Session> {
    const ctx = requestContext();
    const nowMs = Date.now();
    const pending = actor.totpEnrollmentPending === true;
    const ttl = pending ? Math.min(ENROLLMENT_TOKEN_TTL_MS, this.config.accessTokenTtl) : this.config.accessTokenTtl;
    const exp = Math.floor((nowMs + ttl) / 1000);
    const token = signAccessToken(
      { sub: actor.id, role: actor.role, tid: actor.tenantId, iat: Math.floor(nowMs / 1000), exp, ...(pending ? { enr: true as const } : {}) },
      this.secret(),
    );
    if (pending) return { token, expiresAt: new Date(exp * 1000), refreshToken: null, refreshExpiresAt: null, actor };
    const refresh = await this.refreshTokens.issue(m, actor, ctx.ip, familyId);
    ctx.setCookie(REFRESH_COOKIE, refresh.token, {
      path: REFRESH_COOKIE_PATH,
      httpOnly: true,
      sameSite: 'Strict',
      maxAgeSeconds: this.refreshTokens.ttlMs / 1000,
    });
    return { token, expiresAt: new Date(exp * 1000), refreshToken: refresh.token, refreshExpiresAt: refresh.expiresAt, actor };
  }

  clearCookie(): void {
    requestContext().setCookie(REFRESH_COOKIE, '', { path: REFRESH_COOKIE_PATH, httpOnly: true, sameSite: 'Strict', maxAgeSeconds: 0 });
  }

  secret(): string {
    const secret = this.config.jwtSecret;
    if (!secret) throw new Error('DARWIN_JWT_SECRET is required');
    return secret;
  }
}
