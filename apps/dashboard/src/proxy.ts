import { NextResponse, type NextRequest } from 'next/server';
import { needsRefresh, refreshSession } from '@/lib/server/refresh';
import { ACTING_COOKIE, clearActingCookie, clearSessionCookies, PATH_HEADER, REFRESH_COOKIE, SESSION_COOKIE, setSessionCookies } from '@/lib/server/session';
import { isSpent } from '@/lib/token-expiry';

/**
 * Keeps the session alive. Before a page, an RSC fetch or one of our API routes runs, an access
 * token that is missing or near its end is exchanged for a new one with the refresh token cookie;
 * the new cookies go to the browser and, rewritten into this request's Cookie header, to the code
 * that renders it. A refused refresh token clears both cookies (the page then goes to /login).
 * An impersonation token (acting as a tenant admin) cannot be renewed: once spent it is dropped,
 * and the provider's own session underneath is used again.
 * Access checks are not done here: every layout and page checks on its own.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const acting = request.cookies.get(ACTING_COOKIE)?.value;
  const actingSpent = acting !== undefined && isSpent(acting);
  if (actingSpent) request.cookies.delete(ACTING_COOKIE);
  const response = await renew(request, actingSpent);
  if (actingSpent) clearActingCookie(response, request);
  return response;
}

async function renew(request: NextRequest, cookiesChanged: boolean): Promise<NextResponse> {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  if (cookiesChanged) headers.set('cookie', request.cookies.toString());

  const access = request.cookies.get(SESSION_COOKIE)?.value;
  const refresh = request.cookies.get(REFRESH_COOKIE)?.value;
  if (!refresh || !needsRefresh(access)) return NextResponse.next({ request: { headers } });

  const outcome = await refreshSession(refresh, request.headers);
  if ('session' in outcome) {
    request.cookies.set(SESSION_COOKIE, outcome.session.token);
    if (outcome.session.refreshToken) request.cookies.set(REFRESH_COOKIE, outcome.session.refreshToken);
    else request.cookies.delete(REFRESH_COOKIE);
    headers.set('cookie', request.cookies.toString());
    const response = NextResponse.next({ request: { headers } });
    setSessionCookies(response, request, outcome.session);
    return response;
  }
  if ('refused' in outcome) {
    request.cookies.delete(SESSION_COOKIE);
    request.cookies.delete(REFRESH_COOKIE);
    headers.set('cookie', request.cookies.toString());
    const response = NextResponse.next({ request: { headers } });
    clearSessionCookies(response, request);
    return response;
  }
  // The API is unreachable: go on with what we have; the page shows its error state.
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Not for static files, nor for the route that renews the session itself.
  matcher: ['/((?!_next/static|_next/image|icon.svg|favicon.ico|api/session/refresh).*)'],
};
