import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken, type AccessClaims } from './jwt.js';

const SECRET = 'unit-test-secret-of-at-least-32-chars';
const NOW = 1_800_000_000_000;
const claims: AccessClaims = { sub: '6f1c2a9e-1111-4222-8333-944445555666', role: 'tenant_admin', tid: 'a1b2c3d4-0000-4000-8000-000000000001', iat: NOW / 1000, exp: NOW / 1000 + 3600 };

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hs256 = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64url');

describe('access tokens', () => {
  it('round-trips the claims', () => {
    const sut = signAccessToken(claims, SECRET);
    expect(verifyAccessToken(sut, SECRET, NOW)).toEqual({ ok: true, claims });
  });

  it('is a standard HS256 JWT (another implementation can check it)', () => {
    const [h, p, s] = signAccessToken(claims, SECRET).split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(s).toBe(hs256(`${h}.${p}`));
  });

  it('refuses an expired token, exactly at exp', () => {
    const sut = signAccessToken(claims, SECRET);
    expect(verifyAccessToken(sut, SECRET, claims.exp * 1000 - 1).ok).toBe(true);
    expect(verifyAccessToken(sut, SECRET, claims.exp * 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another key and a changed payload', () => {
    expect(verifyAccessToken(signAccessToken(claims, 'x'.repeat(32)), SECRET, NOW)).toEqual({ ok: false, reason: 'signature' });
    const [h, , s] = signAccessToken(claims, SECRET).split('.');
    expect(verifyAccessToken(`${h}.${b64({ ...claims, role: 'platform_admin', tid: null })}.${s}`, SECRET, NOW)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses alg "none" and other algorithms, even when "signed" correctly for HS256', () => {
    for (const header of [{ alg: 'none', typ: 'JWT' }, { alg: 'HS512', typ: 'JWT' }, { alg: 'RS256' }, { typ: 'JWT' }]) {
      const body = `${b64(header)}.${b64(claims)}`;
      expect(verifyAccessToken(`${body}.${hs256(body)}`, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(verifyAccessToken(`${b64({ alg: 'none' })}.${b64(claims)}.`, SECRET, NOW).ok).toBe(false);
  });

  it('refuses malformed tokens and claims', () => {
    for (const t of ['', 'a.b', 'a.b.c.d', 'a.b.c', '!!.??.**', 'x'.repeat(5000)]) expect(verifyAccessToken(t, SECRET, NOW).ok).toBe(false);
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, role: 'superuser' })}`;
    expect(verifyAccessToken(`${body}.${hs256(body)}`, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('carries the actor claim of an impersonation token, and refuses half of one', () => {
    const acting: AccessClaims = { ...claims, act: { sub: claims.sub }, sid: '0b7d4c1e-2222-4333-8444-955556666777' };
    expect(verifyAccessToken(signAccessToken(acting, SECRET), SECRET, NOW)).toEqual({ ok: true, claims: acting });
    const signed = (c: Record<string, unknown>) => {
      const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(c)}`;
      return `${body}.${hs256(body)}`;
    };
    // An act claim without its session, a session without act, and an act that is not an object.
    for (const bad of [{ ...claims, act: { sub: claims.sub } }, { ...claims, sid: acting.sid }, { ...acting, act: claims.sub }, { ...acting, act: {} }]) {
      expect(verifyAccessToken(signed(bad), SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
