import 'server-only';
import { cookies } from 'next/headers';
import type { NextRequest, NextResponse } from 'next/server';

/** The httpOnly cookie that holds the API token. The browser's scripts never see it. */
export const SESSION_COOKIE = 'darwin_session';

/** Token from the session cookie of the current request (server components, route handlers). */
export async function readSessionToken(): Promise<string | undefined> {
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  return value ? value : undefined;
}

/** True when the request reached us over https, directly or through a TLS-terminating proxy. */
export function cameOverHttps(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  return request.nextUrl.protocol === 'https:';
}

/**
 * Sets the session cookie: httpOnly, SameSite=Strict, Path=/, Secure over https. It lives as long
 * as the token (the API's expiresAt); without a usable expiry it is a browser-session cookie.
 */
export function setSessionCookie(
  response: NextResponse,
  request: NextRequest,
  token: string,
  expiresAt: string | number | null | undefined,
): void {
  const expiresMs = parseExpiry(expiresAt);
  const maxAge = expiresMs === undefined ? undefined : Math.floor((expiresMs - Date.now()) / 1000);
  response.cookies.set({
    name: SESSION_COOKIE,
    value: token,
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: cameOverHttps(request),
    ...(maxAge !== undefined && maxAge > 0 ? { maxAge } : {}),
  });
}

export function clearSessionCookie(response: NextResponse, request: NextRequest): void {
  response.cookies.set({
    name: SESSION_COOKIE,
    value: '',
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: cameOverHttps(request),
    maxAge: 0,
  });
}

function parseExpiry(expiresAt: string | number | null | undefined): number | undefined {
  if (expiresAt === null || expiresAt === undefined || expiresAt === '') return undefined;
  if (typeof expiresAt === 'number') {
    // Seconds or milliseconds since the epoch.
    return expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
  }
  if (/^\d+$/.test(expiresAt)) return parseExpiry(Number(expiresAt));
  const ms = Date.parse(expiresAt);
  return Number.isNaN(ms) ? undefined : ms;
}
