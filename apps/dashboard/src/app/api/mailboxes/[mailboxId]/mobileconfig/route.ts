import { type NextRequest, NextResponse } from 'next/server';
import { API_TIMEOUT_MS, apiRestUrl } from '@/lib/server/config';
import { errorResponse, rejectCrossSite } from '@/lib/server/request-guards';
import { apiTokenOf } from '@/lib/server/session';

/**
 * GET: the Apple configuration profile (.mobileconfig) of a mailbox, fetched from the API's REST
 * endpoint with the session's token (the API decides who may have it: the owner, the tenant's
 * admins, the provider) and handed to the browser as a download. No password is inside.
 */
export async function GET(request: NextRequest, { params }: RouteContext<'/api/mailboxes/[mailboxId]/mobileconfig'>): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  const token = apiTokenOf(request);
  if (!token) return errorResponse(401, 'UNAUTHENTICATED', 'Sign in first.');
  const { mailboxId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(mailboxId)) return errorResponse(404, 'NOT_FOUND', 'No such mailbox.');
  let upstream: Response;
  try {
    upstream = await fetch(apiRestUrl(`/api/v1/mailboxes/${mailboxId}/mobileconfig`), {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch {
    return errorResponse(502, 'NETWORK', 'The API could not be reached.');
  }
  if (!upstream.ok) return errorResponse(upstream.status === 401 ? 401 : 404, upstream.status === 401 ? 'UNAUTHENTICATED' : 'NOT_FOUND', 'The profile is not available.');
  const headers = new Headers({ 'cache-control': 'no-store' });
  headers.set('content-type', upstream.headers.get('content-type') ?? 'application/x-apple-aspen-config');
  const disposition = upstream.headers.get('content-disposition');
  if (disposition) headers.set('content-disposition', disposition);
  return new NextResponse(upstream.body, { status: 200, headers });
}
