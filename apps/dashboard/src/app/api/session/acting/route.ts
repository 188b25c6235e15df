import { NextResponse, type NextRequest } from 'next/server';
import { ImpersonateTenantDocument, StopImpersonationDocument } from '@/graphql/generated';
import { safeNextPath } from '@/lib/safe-next';
import { callApi, clientAddress } from '@/lib/server/api-call';
import { BodyTooLargeError, errorResponse, hasContentType, readBodyWithLimit, rejectCrossSite } from '@/lib/server/request-guards';
import { ACTING_COOKIE, clearActingCookie, SESSION_COOKIE, setActingCookie } from '@/lib/server/session';

const MAX_BODY_BYTES = 4 * 1024;
const STATUS: Record<string, number> = { VALIDATION: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/**
 * Acting as a tenant admin.
 *
 * POST {tenantId, reason}: with the provider's own session (never an impersonation token), asks the
 * API for an impersonation token (`impersonateTenant`, which records the reason in the audit log)
 * and keeps it in the httpOnly `darwin_acting` cookie beside the provider's session. From then on
 * every page and call uses it (lib/server/session.ts `readApiToken`, `apiTokenOf`). The browser learns only where to go.
 *
 * DELETE: "Stop acting". Ends the session in the API (`stopImpersonation`, audited) and drops the
 * cookie; the provider's own session is back.
 *
 * GET ?next=/path: drops an impersonation token the API refused (a server component cannot set
 * cookies) and goes back to `next`. SameSite=Strict cookies and a change that only ends the
 * caller's own acting make a GET safe here, as for /api/session/refresh.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  if (!hasContentType(request, 'application/json')) return errorResponse(415, 'VALIDATION', 'Content-Type must be application/json.');
  let input: { tenantId: string; reason: string } | undefined;
  try {
    input = parse(await readBodyWithLimit(request, MAX_BODY_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return errorResponse(413, 'VALIDATION', 'Request too large.');
  }
  if (!input) return errorResponse(400, 'VALIDATION', 'Give the tenant and a reason.');
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return errorResponse(401, 'UNAUTHENTICATED', 'Sign in first.');

  const previous = request.cookies.get(ACTING_COOKIE)?.value;
  if (previous) await callApi(StopImpersonationDocument, {}, { token: previous, forwardedFor: clientAddress(request.headers) });
  const result = await callApi(ImpersonateTenantDocument, input, { token, forwardedFor: clientAddress(request.headers) });
  if (!result.ok) {
    const first = result.errors[0];
    const response = new NextResponse(JSON.stringify({ errors: [{ message: first?.message ?? 'Acting as the tenant admin failed.', extensions: { code: result.code, ...(first?.extensions?.field ? { field: first.extensions.field } : {}) } }] }), {
      status: result.network ? 502 : (STATUS[result.code] ?? 502),
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
    if (previous) clearActingCookie(response, request);
    return response;
  }
  const grant = result.data.impersonateTenant;
  const response = NextResponse.json({ tenantId: grant.actor.tenantId, expiresAt: grant.expiresAt }, { headers: { 'cache-control': 'no-store' } });
  setActingCookie(response, request, grant.token, grant.expiresAt);
  return response;
}

export async function DELETE(request: NextRequest): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  const acting = request.cookies.get(ACTING_COOKIE)?.value;
  // Best effort: the cookie goes whatever the API says (an expired token ends on its own).
  if (acting) await callApi(StopImpersonationDocument, {}, { token: acting, forwardedFor: clientAddress(request.headers) });
  const response = new NextResponse(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  clearActingCookie(response, request);
  return response;
}

export async function GET(request: NextRequest): Promise<NextResponse> {
  const next = safeNextPath(request.nextUrl.searchParams.get('next'));
  const response = new NextResponse(null, { status: 303, headers: { location: next, 'cache-control': 'no-store' } });
  clearActingCookie(response, request);
  return response;
}

function parse(text: string): { tenantId: string; reason: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { tenantId, reason } = value as Record<string, unknown>;
  if (typeof tenantId !== 'string' || typeof reason !== 'string' || !/^[0-9a-f-]{36}$/i.test(tenantId)) return undefined;
  return { tenantId, reason: reason.slice(0, 1000) };
}
