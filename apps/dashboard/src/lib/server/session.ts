import { cookies } from 'next/headers';
import type { NextRequest, NextResponse } from 'next/server';

/**
 * The dashboard's httpOnly cookies. Browser scripts never see any of them.
 * - `darwin_session`: the API access token (about an hour), sent to the API as a Bearer header.
 * - `darwin_refresh_token`: the API refresh token (rotated on every use), exchanged on the server
 *   for a new access token when the old one is near its end (src/proxy.ts) or was refused
 *   (app/api/graphql, app/api/session/refresh). Path=/ because page loads need it too.
 * - `darwin_acting`: while a platform admin acts as a tenant admin, the impersonation token the API
 *   gave for it (at most an hour, never renewed). It is kept beside the provider's own session,
 *   which stays alive underneath; while it is there, every call to the API uses it instead
 *   (`readApiToken`, `apiTokenOf`). "Stop acting" or its expiry removes it and the provider's session is back.
 */
export const SESSION_COOKIE = 'darwin_session';
export const REFRESH_COOKIE = 'darwin_refresh_token';
export const ACTING_COOKIE = 'darwin_acting';

/** Set for a few seconds by app/api/session/refresh: a token the API still refuses then ends at /login, not in a loop. */
export const REFRESHED_COOKIE = 'darwin_refreshed';

/** Set by src/proxy.ts on every request: its path and query, for sending the user back there. */
export const PATH_HEADER = 'x-darwin-path';

/** What the API's login and refresh answer (the SessionFields fragment). */
export interface ApiSession {
  readonly token: string;
  readonly expiresAt: string;
  readonly refreshToken: string | null;
  readonly refreshExpiresAt: string | null;
}

/**
 * The token this request talks to the API with: the impersonation token while acting as a tenant
 * admin (and a provider session is there underneath), else the session's access token.
 */
export async function readApiToken(): Promise<string | undefined> {
  const jar = await cookies();
  return pickApiToken(jar.get(SESSION_COOKIE)?.value, jar.get(REFRESH_COOKIE)?.value, jar.get(ACTING_COOKIE)?.value);
}

/** The same choice for a route handler, from the request's cookies. */
export function apiTokenOf(request: NextRequest): string | undefined {
  const c = request.cookies;
  return pickApiToken(c.get(SESSION_COOKIE)?.value, c.get(REFRESH_COOKIE)?.value, c.get(ACTING_COOKIE)?.value);
}

function pickApiToken(session: string | undefined, refresh: string | undefined, acting: string | undefined): string | undefined {
  // Acting rests on the provider's own session: without it, there is nobody to act.
  if (acting && (session || refresh)) return acting;
  return session || undefined;
}

export async function readRefreshToken(): Promise<string | undefined> {
  const value = (await cookies()).get(REFRESH_COOKIE)?.value;
  return value ? value : undefined;
}

/** True when the request reached us over https, directly or through a TLS-terminating proxy. */
export function cameOverHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return request.nextUrl.protocol === 'https:';
}

/**
 * Sets both cookies: httpOnly, SameSite=Strict, Path=/, Secure over https, each living as long as
 * its token. Without a refresh token (an enrolment-only session) the refresh cookie is cleared.
 */
export function setSessionCookies(response: NextResponse, request: NextRequest, session: ApiSession): void {
  setCookie(response, request, SESSION_COOKIE, session.token, session.expiresAt);
  if (session.refreshToken) setCookie(response, request, REFRESH_COOKIE, session.refreshToken, session.refreshExpiresAt);
  else setCookie(response, request, REFRESH_COOKIE, '', 0);
}

export function clearSessionCookies(response: NextResponse, request: NextRequest): void {
  setCookie(response, request, SESSION_COOKIE, '', 0);
  setCookie(response, request, REFRESH_COOKIE, '', 0);
  if (request.cookies.has(REFRESHED_COOKIE)) setCookie(response, request, REFRESHED_COOKIE, '', 0);
  if (request.cookies.has(ACTING_COOKIE)) clearActingCookie(response, request);
}

/** Keeps the impersonation token for as long as it lives (httpOnly, SameSite=Strict, Path=/). */
export function setActingCookie(response: NextResponse, request: NextRequest, token: string, expiresAt: string): void {
  setCookie(response, request, ACTING_COOKIE, token, expiresAt);
}

export function clearActingCookie(response: NextResponse, request: NextRequest): void {
  setCookie(response, request, ACTING_COOKIE, '', 0);
}

function setCookie(response: NextResponse, request: NextRequest, name: string, value: string, expiresAt: string | number | null | undefined): void {
  const expiresMs = expiresAt === 0 ? 0 : parseExpiry(expiresAt);
  const maxAge = expiresMs === undefined ? undefined : expiresMs === 0 ? 0 : Math.floor((expiresMs - Date.now()) / 1000);
  response.cookies.set({
    name,
    value,
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: cameOverHttps(request),
    ...(maxAge !== undefined ? { maxAge: Math.max(0, maxAge) } : {}),
  });
}

export function parseExpiry(expiresAt: string | number | null | undefined): number | undefined {
  if (expiresAt === null || expiresAt === undefined || expiresAt === '') return undefined;
  if (typeof expiresAt === 'number') {
    // Seconds or milliseconds since the epoch.
    return expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
  }
  if (/^\d+$/.test(expiresAt)) return parseExpiry(Number(expiresAt));
  const ms = Date.parse(expiresAt);
  return Number.isNaN(ms) ? undefined : ms;
}
