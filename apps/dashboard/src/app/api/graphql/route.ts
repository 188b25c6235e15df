import { type NextRequest, NextResponse } from 'next/server';
import { API_TIMEOUT_MS, apiGraphqlUrl } from '@/lib/server/config';
import {
  BodyTooLargeError,
  errorResponse,
  hasContentType,
  readBodyWithLimit,
  rejectCrossSite,
} from '@/lib/server/request-guards';
import { SESSION_COOKIE } from '@/lib/server/session';

/** Largest GraphQL request the browser may send through us. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Response headers from the API that are passed back to the browser. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'x-request-id'];

/**
 * GraphQL for the browser: forwards POSTs to the API with the session cookie's token as a Bearer
 * header. Cross-site requests and anything but application/json are refused, so a page on another
 * site can neither send a "simple" form post here nor read the answer.
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

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: request.headers.get('accept') ?? 'application/graphql-response+json, application/json',
  };
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (token) headers['authorization'] = `Bearer ${token}`;
  const requestId = request.headers.get('x-request-id');
  if (requestId) headers['x-request-id'] = requestId.slice(0, 128);

  let upstream: Response;
  try {
    upstream = await fetch(apiGraphqlUrl(), {
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

  const responseHeaders = new Headers({ 'cache-control': 'no-store' });
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) responseHeaders.set(name, value);
  }
  return new NextResponse(upstream.body, { status: upstream.status, headers: responseHeaders });
}
