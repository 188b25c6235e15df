import { NextResponse, type NextRequest } from 'next/server';
import { LoginDocument, LogoutDocument, StopImpersonationDocument } from '@/graphql/generated';
import { safeNextPath } from '@/lib/safe-next';
import { callApi, clientAddress } from '@/lib/server/api-call';
import {
  BodyTooLargeError,
  errorResponse,
  hasContentType,
  readBodyWithLimit,
  rejectCrossSite,
} from '@/lib/server/request-guards';
import { ACTING_COOKIE, clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from '@/lib/server/session';

const MAX_LOGIN_BODY_BYTES = 16 * 1024;

interface Credentials {
  email: string;
  password: string;
  totpCode?: string;
  /** Where a plain HTML form post goes after success (same-site paths only). */
  next?: string;
}

/**
 * POST: log in. Accepts JSON (the login page's script) or an urlencoded form (the same form before
 * its script has loaded). Calls the API's login mutation from the server and keeps the access and
 * refresh tokens in httpOnly cookies; the browser only learns who signed in.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;

  const isJson = hasContentType(request, 'application/json');
  const isForm = hasContentType(request, 'application/x-www-form-urlencoded');
  if (!isJson && !isForm) {
    return errorResponse(415, 'VALIDATION', 'Send application/json or a urlencoded form.');
  }

  let credentials: Credentials | undefined;
  try {
    const text = await readBodyWithLimit(request, MAX_LOGIN_BODY_BYTES);
    credentials = isJson ? fromJson(text) : fromForm(text);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return errorResponse(413, 'VALIDATION', 'Request too large.');
    credentials = undefined;
  }
  if (!credentials) {
    return answer(isForm, 400, 'VALIDATION', 'Enter your email and password.');
  }

  const result = await callApi(
    LoginDocument,
    { email: credentials.email, password: credentials.password, totpCode: credentials.totpCode ?? null },
    { forwardedFor: clientAddress(request.headers) },
  );
  if (!result.ok) {
    const first = result.errors[0];
    const reason = typeof first?.extensions?.reason === 'string' ? first.extensions.reason : undefined;
    if (result.network) return answer(isForm, 502, 'NETWORK', 'The API could not be reached. Try again in a moment.');
    if (result.code === 'UNAUTHENTICATED') {
      if (reason === 'TOTP_REQUIRED') return answer(isForm, 401, result.code, 'Enter the code from your authenticator app.', reason);
      if (reason === 'TOTP_INVALID') return answer(isForm, 401, result.code, 'That code is not right. Try the current one.', reason);
      if (reason === 'THROTTLED') return answer(isForm, 429, result.code, 'Too many failed attempts. Wait a few minutes and try again.', reason);
      return answer(isForm, 401, result.code, 'Wrong email or password.');
    }
    if (result.code === 'VALIDATION') return answer(isForm, 400, result.code, first?.message ?? 'Check your email and password.');
    if (result.code === 'LIMIT_EXCEEDED') return answer(isForm, 429, result.code, first?.message ?? 'Too many attempts. Wait a moment and try again.');
    return answer(isForm, 502, result.code, 'Signing in failed. Try again in a moment.');
  }

  const login = result.data.login;
  const response = isForm ? seeOther(safeNextPath(credentials.next)) : NextResponse.json({ actor: login.actor }, { status: 200 });
  response.headers.set('cache-control', 'no-store');
  setSessionCookies(response, request, login);
  return response;
}

/**
 * DELETE: log out. Ends acting as a tenant admin and the session's refresh token family in the API,
 * then clears the cookies.
 */
export async function DELETE(request: NextRequest): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  const acting = request.cookies.get(ACTING_COOKIE)?.value;
  // Best effort: the cookies are cleared whatever the API says, and the access tokens end on their own.
  if (acting) await callApi(StopImpersonationDocument, {}, { token: acting, forwardedFor: clientAddress(request.headers) });
  if (refreshToken) await callApi(LogoutDocument, { refreshToken }, { forwardedFor: clientAddress(request.headers) });
  const response = new NextResponse(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  clearSessionCookies(response, request);
  return response;
}

function fromJson(text: string): Credentials | undefined {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const { email, password, totpCode } = value as Record<string, unknown>;
  return validCredentials(email, password, totpCode, undefined);
}

function fromForm(text: string): Credentials | undefined {
  const form = new URLSearchParams(text);
  return validCredentials(form.get('email'), form.get('password'), form.get('totpCode'), form.get('next') ?? undefined);
}

function validCredentials(email: unknown, password: unknown, totpCode: unknown, next: string | undefined): Credentials | undefined {
  if (typeof email !== 'string' || typeof password !== 'string') return undefined;
  const trimmed = email.trim();
  if (!trimmed || !password || trimmed.length > 320 || password.length > 1024) return undefined;
  const credentials: Credentials = { email: trimmed, password };
  if (typeof totpCode === 'string' && totpCode.trim()) credentials.totpCode = totpCode.trim().slice(0, 64);
  if (next !== undefined) credentials.next = next;
  return credentials;
}

function answer(isForm: boolean, status: number, code: string, message: string, reason?: string): NextResponse {
  if (!isForm) {
    const response = errorResponse(status, code, message);
    if (!reason) return response;
    return new NextResponse(JSON.stringify({ errors: [{ message, extensions: { code, reason } }] }), {
      status,
      headers: response.headers,
    });
  }
  return seeOther(`/login?error=${code === 'UNAUTHENTICATED' && !reason ? 'credentials' : 'failed'}`);
}

/** A redirect with a relative Location, right behind any proxy whatever host we think we are. */
function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path } });
}
