import { NextResponse, type NextRequest } from 'next/server';
import { safeNextPath } from '@/lib/safe-next';
import { refreshSession } from '@/lib/server/refresh';
import { clearSessionCookies, REFRESH_COOKIE, REFRESHED_COOKIE, setSessionCookies } from '@/lib/server/session';

/**
 * GET /api/session/refresh?next=/path: the API refused the access token while a server component
 * rendered (server components cannot set cookies). Exchanges the refresh token, sets the new
 * cookies and goes back to `next`; without a usable refresh token, to /login.
 * A GET that changes cookies is safe here: it only renews the caller's own session, and the
 * cookies are SameSite=Strict, so a foreign page cannot make the browser send them.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  const outcome = refreshToken && !request.cookies.has(REFRESHED_COOKIE) ? await refreshSession(refreshToken, request.headers) : undefined;
  if (outcome && 'session' in outcome) {
    const response = seeOther(next);
    setSessionCookies(response, request, outcome.session);
    response.cookies.set({ name: REFRESHED_COOKIE, value: '1', httpOnly: true, sameSite: 'strict', path: '/', maxAge: 10 });
    return response;
  }
  const response = seeOther(`/login?next=${encodeURIComponent(next)}`);
  if (!outcome || 'refused' in outcome) clearSessionCookies(response, request);
  return response;
}

function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path, 'cache-control': 'no-store' } });
}
