import { type NextRequest, NextResponse } from 'next/server';
import { clientAddress } from '@/lib/server/api-call';
import { API_TIMEOUT_MS, apiGraphqlUrl } from '@/lib/server/config';
import { refreshSession } from '@/lib/server/refresh';
import {
  BodyTooLargeError,
  errorResponse,
  hasContentType,
  readBodyWithLimit,
  rejectCrossSite,
} from '@/lib/server/request-guards';
import {
  ACTING_COOKIE,
  apiTokenOf,
  clearActingCookie,
  clearSessionCookies,
  REFRESH_COOKIE,
  setSessionCookies,
  type ApiSession,
} from '@/lib/server/session';

/** Largest GraphQL request the browser may send through us. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Response headers from the API that are passed back to the browser. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'x-request-id'];

/**
 * GraphQL for the browser: forwards POSTs to the API with the session cookie's token as a Bearer
 * header. Cross-site requests and anything but application/json are refused, so a page on another
 * site can neither send a "simple" form post here nor read the answer.
 *
 * When the API answers UNAUTHENTICATED (the token expired or was revoked before src/proxy.ts could
 * renew it) and there is a refresh token, the session is renewed and the request sent once more.
 * While acting as a tenant admin the impersonation token is used instead; when the API refuses it
 * (ended, expired), the acting cookie is dropped and the refusal passed on: the request is never
 * repeated with the provider's own session, which is not who the person meant to act as.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  if (!hasContentType(request, 'application/json')) {
    return errorResponse(415, 'VALIDATION', 'Content-Type must be application/json.');
  }

  let body: string;
  try {
    body = await readBodyWithLimit(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return errorResponse(413, 'VALIDATION', 'Request too large.');
    return errorResponse(400, 'VALIDATION', 'Could not read the request.');
  }

  const token = apiTokenOf(request);
  const acting = token !== undefined && token === request.cookies.get(ACTING_COOKIE)?.value;
  let upstream = await forward(request, body, token);
  if (upstream instanceof NextResponse) return upstream;

  let renewed: ApiSession | undefined;
  let sessionEnded = false;
  let actingEnded = false;
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  if (acting) {
    actingEnded = await isUnauthenticated(upstream);
  } else if (refreshToken && (await isUnauthenticated(upstream))) {
    const outcome = await refreshSession(refreshToken, request.headers);
    if ('session' in outcome) {
      renewed = outcome.session;
      upstream = await forward(request, body, renewed.token);
      if (upstream instanceof NextResponse) return upstream;
    } else if ('refused' in outcome) {
      sessionEnded = true;
    }
  }

  const responseHeaders = new Headers({ 'cache-control': 'no-store' });
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) responseHeaders.set(name, value);
  }
  const response = new NextResponse(upstream.body, { status: upstream.status, headers: responseHeaders });
  if (renewed) setSessionCookies(response, request, renewed);
  if (sessionEnded) clearSessionCookies(response, request);
  if (actingEnded) clearActingCookie(response, request);
  return response;
}

async function forward(request: NextRequest, body: string, token: string | undefined): Promise<Response | NextResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: request.headers.get('accept') ?? 'application/graphql-response+json, application/json',
  };
  if (token) headers['authorization'] = `Bearer ${token}`;
  const requestId = request.headers.get('x-request-id');
  if (requestId) headers['x-request-id'] = requestId.slice(0, 128);
  const forwardedFor = clientAddress(request.headers);
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  try {
    return await fetch(apiGraphqlUrl(), {
      method: 'POST',
      headers,
      body,
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch {
    return errorResponse(502, 'NETWORK', 'The API could not be reached. Try again in a moment.');
  }
}

/** Reads a clone of the answer (GraphQL answers are small) for an UNAUTHENTICATED error code. */
async function isUnauthenticated(upstream: Response): Promise<boolean> {
  if (upstream.status === 401) return true;
  try {
    const parsed = (await upstream.clone().json()) as { errors?: { extensions?: { code?: unknown } }[] };
    return parsed.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ?? false;
  } catch {
    return false;
  }
}
