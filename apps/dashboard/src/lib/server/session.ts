import { cookies } from 'next/headers';
import type { NextRequest, NextResponse } from 'next/server';

/**
 * The dashboard's two httpOnly cookies. Browser scripts never see either.
 * - `darwin_session`: the API access token (about an hour), sent to the API as a Bearer header.
 * - `darwin_refresh_token`: the API refresh token (rotated on every use), exchanged on the server
 *   for a new access token when the old one is near its end (src/proxy.ts) or was refused
 *   (app/api/graphql, app/api/session/refresh). Path=/ because page loads need it too.
 */
export const SESSION_COOKIE = 'darwin_session';
export const REFRESH_COOKIE = 'darwin_refresh_token';

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

/** Token from the session cookie of the current request (server components, route handlers). */
export async function readSessionToken(): Promise<string | undefined> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  return value ? value : undefined;
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
