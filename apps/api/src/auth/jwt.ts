import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, type Role } from './actor.js';

/**
 * Access tokens: compact JWS (RFC 7515) with HS256 only. Written here rather than pulled from a
 * library because we need exactly one algorithm and want no `alg` negotiation at all: a token whose
 * header is not HS256 is refused before anything else is looked at.
 */
export interface AccessClaims {
  /** Operator id or mailbox id. */
  readonly sub: string;
  readonly role: Role;
  /** Tenant id; null for platform admins. */
  readonly tid: string | null;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
  /** Present (true) on a token that may only enrol a TOTP second factor. */
  readonly enr?: true;
  /**
   * Present on an impersonation token (RFC 8693's actor claim): the platform admin who acts as a
   * tenant admin. `sub` is that same operator; `role` is tenant_admin and `tid` the tenant.
   */
  readonly act?: { readonly sub: string };
  /** The impersonation session (only with `act`). */
  readonly sid?: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: AccessClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

/** Longer than any token we issue; refuse before hashing anything larger. */
export const MAX_TOKEN_LENGTH = 2048;

const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function mac(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signAccessToken(claims: AccessClaims, secret: string): string {
  const body = `${HEADER}.${b64(JSON.stringify(claims))}`;
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isClaims(v: unknown): v is AccessClaims {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.sub === 'string' &&
    isRole(c.role) &&
    (c.tid === null || typeof c.tid === 'string') &&
    Number.isSafeInteger(c.iat) &&
    Number.isSafeInteger(c.exp) &&
    (c.enr === undefined || c.enr === true) &&
    (c.act === undefined || isActClaim(c.act)) &&
    (c.sid === undefined || typeof c.sid === 'string') &&
    // An impersonation token names its session, and nothing else names one.
    (c.act === undefined) === (c.sid === undefined)
  );
}

function isActClaim(v: unknown): v is { sub: string } {
  return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).sub === 'string';
}

/** Checks form, algorithm, signature (constant-time) and expiry, in that order. */
export function verifyAccessToken(token: string, secret: string, nowMs = Date.now()): VerifyResult {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  const h = parseJson(header) as { alg?: unknown; typ?: unknown } | undefined;
  if (typeof h !== 'object' || h === null || h.alg !== 'HS256' || (h.typ !== undefined && h.typ !== 'JWT')) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = mac(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  const claims = parseJson(payload);
  if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
