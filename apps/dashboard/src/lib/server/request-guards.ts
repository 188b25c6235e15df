import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';

/**
 * CSRF guard for the dashboard's own route handlers. A request is refused when the browser says it
 * came from another site: an Origin header whose host is not the host this request was sent to, or
 * Sec-Fetch-Site: cross-site. Requests without Origin (curl, server-to-server) pass this check; they
 * carry no ambient browser cookie unless the caller has the token anyway.
 *
 * Only hosts are compared, not schemes: behind a TLS-terminating proxy the scheme we see may differ
 * from the browser's, while the Host header (or X-Forwarded-Host set by that proxy) still names us.
 * A cross-site page cannot set X-Forwarded-Host without a CORS preflight, which we never grant.
 */
export function rejectCrossSite(request: NextRequest): NextResponse | null {
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site') return forbidden('cross-site request refused');

  const origin = request.headers.get('origin');
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return forbidden('bad Origin header');
  }
  const ownHosts = [request.headers.get('x-forwarded-host'), request.headers.get('host'), request.nextUrl.host]
    .flatMap((h) => (h ? h.split(',') : []))
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return ownHosts.includes(originHost) ? null : forbidden('Origin does not match this dashboard');
}

/** True when the request's Content-Type is the given media type (parameters such as charset ignored). */
export function hasContentType(request: NextRequest, mediaType: string): boolean {
  const value = request.headers.get('content-type');
  if (!value) return false;
  return value.split(';')[0]!.trim().toLowerCase() === mediaType;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * Reads the request body as text, refusing more than `limit` bytes whether or not the client sent
 * a truthful Content-Length. The stream is cancelled as soon as the limit is passed.
 */
export async function readBodyWithLimit(request: NextRequest, limit: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * An error body shaped like a GraphQL response and typed application/graphql-response+json, so
 * Apollo Client reads it as GraphQL errors with extensions.code whatever the HTTP status.
 */
export function errorResponse(status: number, code: string, message: string): NextResponse {
  return new NextResponse(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/graphql-response+json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function forbidden(message: string): NextResponse {
  return errorResponse(403, 'FORBIDDEN', message);
}
