import { print } from 'graphql';
import { NextResponse, type NextRequest } from 'next/server';
import { LOGIN, type LoginData } from '@/graphql/session';
import { safeNextPath } from '@/lib/safe-next';
import { API_TIMEOUT_MS, apiGraphqlUrl } from '@/lib/server/config';
import {
  BodyTooLargeError,
  errorResponse,
  hasContentType,
  readBodyWithLimit,
  rejectCrossSite,
} from '@/lib/server/request-guards';
import { clearSessionCookie, setSessionCookie } from '@/lib/server/session';

const MAX_LOGIN_BODY_BYTES = 16 * 1024;
const LOGIN_DOCUMENT = print(LOGIN);

interface Credentials {
  email: string;
  password: string;
  /** Where a plain HTML form post goes after success (same-site paths only). */
  next?: string;
}

/**
 * POST: log in. Accepts JSON (the login page's script) or an urlencoded form (the same form before
 * its script has loaded). Calls the API's login mutation from the server and keeps the token in an
 * httpOnly cookie; the browser only learns who signed in.
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

  let result: { data?: LoginData | null; errors?: FormattedError[] };
  try {
    const response = await fetch(apiGraphqlUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({
        operationName: 'Login',
        query: LOGIN_DOCUMENT,
        variables: { email: credentials.email, password: credentials.password },
      }),
      cache: 'no-store',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    result = (await response.json()) as typeof result;
  } catch {
    return answer(isForm, 502, 'NETWORK', 'The API could not be reached. Try again in a moment.');
  }

  const login = result.data?.login;
  if (!login?.token) {
    const first = result.errors?.[0];
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL';
    if (code === 'UNAUTHENTICATED') {
      return answer(isForm, 401, code, 'Wrong email or password.');
    }
    if (code === 'VALIDATION') {
      return answer(isForm, 400, code, first?.message ?? 'Check your email and password.');
    }
    if (code === 'LIMIT_EXCEEDED') {
      return answer(isForm, 429, code, first?.message ?? 'Too many attempts. Wait a moment and try again.');
    }
    return answer(isForm, 502, code, 'Signing in failed. Try again in a moment.');
  }

  const response = isForm
    ? seeOther(safeNextPath(credentials.next))
    : NextResponse.json({ actor: login.actor }, { status: 200 });
  response.headers.set('cache-control', 'no-store');
  setSessionCookie(response, request, login.token, login.expiresAt);
  return response;
}

/** DELETE: log out, clearing the cookie. The token simply expires on the API side. */
export async function DELETE(request: NextRequest): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  const response = new NextResponse(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  clearSessionCookie(response, request);
  return response;
}

interface FormattedError {
  message?: string;
  extensions?: { code?: unknown };
}

function fromJson(text: string): Credentials | undefined {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return undefined;
  const { email, password } = value as Record<string, unknown>;
  return validCredentials(email, password, undefined);
}

function fromForm(text: string): Credentials | undefined {
  const form = new URLSearchParams(text);
  return validCredentials(form.get('email'), form.get('password'), form.get('next') ?? undefined);
}

function validCredentials(email: unknown, password: unknown, next: string | undefined): Credentials | undefined {
  if (typeof email !== 'string' || typeof password !== 'string') return undefined;
  const trimmed = email.trim();
  if (!trimmed || !password || trimmed.length > 320 || password.length > 1024) return undefined;
  return next === undefined ? { email: trimmed, password } : { email: trimmed, password, next };
}

function answer(isForm: boolean, status: number, code: string, message: string): NextResponse {
  if (!isForm) return errorResponse(status, code, message);
  return seeOther(`/login?error=${code === 'UNAUTHENTICATED' ? 'credentials' : 'failed'}`);
}

/** A redirect with a relative Location, right behind any proxy whatever host we think we are. */
function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path } });
}
