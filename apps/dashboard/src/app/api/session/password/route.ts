import { NextResponse, type NextRequest } from 'next/server';
import { ChangePasswordDocument, LoginDocument, MeDocument } from '@/graphql/generated';
import { callApi, clientAddress } from '@/lib/server/api-call';
import {
  BodyTooLargeError,
  errorResponse,
  hasContentType,
  readBodyWithLimit,
  rejectCrossSite,
} from '@/lib/server/request-guards';
import { SESSION_COOKIE, setSessionCookies } from '@/lib/server/session';

/**
 * POST { currentPassword, newPassword }: the signed-in operator or mailbox owner changes its own
 * password. The API then ends every session of the account, this one's refresh token included, so
 * the dashboard signs in again with the new password and keeps the new tokens: the person stays
 * signed in here and everywhere else has to sign in again.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  if (!hasContentType(request, 'application/json')) return errorResponse(415, 'VALIDATION', 'Content-Type must be application/json.');
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (!token) return errorResponse(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again.');

  let currentPassword: unknown;
  let newPassword: unknown;
  try {
    ({ currentPassword, newPassword } = JSON.parse(await readBodyWithLimit(request, 16 * 1024)) as Record<string, unknown>);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return errorResponse(413, 'VALIDATION', 'Request too large.');
    return errorResponse(400, 'VALIDATION', 'Could not read the request.');
  }
  if (typeof currentPassword !== 'string' || typeof newPassword !== 'string' || !currentPassword || !newPassword) {
    return errorResponse(400, 'VALIDATION', 'Enter your current and your new password.');
  }

  const forwardedFor = clientAddress(request.headers);
  const me = await callApi(MeDocument, {}, { token, forwardedFor });
  if (!me.ok) return graphqlError(me.network ? 502 : 401, me.errors, me.code);
  const changed = await callApi(ChangePasswordDocument, { currentPassword, newPassword }, { token, forwardedFor });
  if (!changed.ok) return graphqlError(changed.network ? 502 : 200, changed.errors, changed.code);

  const response = NextResponse.json({ data: { changePassword: true } }, { headers: { 'cache-control': 'no-store' } });
  const login = await callApi(LoginDocument, { email: me.data.me.email, password: newPassword, totpCode: null }, { forwardedFor });
  // With a second factor the new login needs a code we do not have: the current access token stays
  // valid until it expires, and the person signs in again then.
  if (login.ok) setSessionCookies(response, request, login.data.login);
  return response;
}

function graphqlError(status: number, errors: readonly { message: string; extensions?: Record<string, unknown> }[], code: string): NextResponse {
  const first = errors[0];
  const body = { errors: [{ message: first?.message ?? 'Changing the password failed.', extensions: { ...(first?.extensions ?? {}), code } }] };
  return new NextResponse(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/graphql-response+json; charset=utf-8', 'cache-control': 'no-store' },
  });
}
