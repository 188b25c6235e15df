import 'server-only';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { MeDocument, type ActorFieldsFragment } from '@/graphql/generated';
import { hasApiErrorCode } from '@/lib/api-error';
import { safeNextPath } from '@/lib/safe-next';
import { getClient } from './apollo';
import { ACTING_COOKIE, PATH_HEADER, REFRESH_COOKIE, REFRESHED_COOKIE, readApiToken } from './session';

export type Viewer = ActorFieldsFragment;

/** Where this request was going (set by src/proxy.ts), for coming back after signing in. */
export async function currentPath(): Promise<string> {
  return safeNextPath((await headers()).get(PATH_HEADER));
}

/**
 * The signed-in actor for this request, or null when there is no session or the API rejects it
 * for good. Asked of the API once per request (React `cache`), however many layouts and pages call
 * it. When the API refuses the access token but a refresh token is there, the request goes through
 * /api/session/refresh (server components cannot set cookies) and comes back here. Other failures
 * (API down) throw, so the error page shows instead of a login loop.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  if (!(await readApiToken())) return null;
  try {
    const { data } = await (await getClient()).query({ query: MeDocument });
    return data?.me ?? null;
  } catch (error) {
    if (hasApiErrorCode(error, 'UNAUTHENTICATED')) {
      await renewOrNull();
      return null;
    }
    throw error;
  }
});

async function renewOrNull(): Promise<void> {
  const jar = await cookies();
  // A refused impersonation token (ended elsewhere, or its operator lost the right) is dropped: the
  // request comes back with the provider's own session.
  if (jar.get(ACTING_COOKIE)?.value) redirect(`/api/session/acting?next=${encodeURIComponent(await currentPath())}`);
  if (jar.get(REFRESH_COOKIE)?.value && !jar.has(REFRESHED_COOKIE)) {
    redirect(`/api/session/refresh?next=${encodeURIComponent(await currentPath())}`);
  }
}

/** The signed-in actor, or a redirect to /login. Call it in every layout and page that needs one. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/login?next=${encodeURIComponent(await currentPath())}`);
  // An enrolment-only session (the provider requires TOTP) reaches nothing here yet.
  if (viewer.totpEnrollmentRequired) redirect('/login?error=totp-enrollment');
  return viewer;
}

/** The provider's staff only; anyone else sees the 404 page, as for a page that does not exist. */
export async function requirePlatformAdmin(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (viewer.role !== 'platform_admin') notFound();
  return viewer;
}

/** Mailbox owners only (self-service); `viewer.id` is their mailbox's id. */
export async function requireMailboxOwner(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (viewer.role !== 'mailbox_owner') notFound();
  return viewer;
}

/** Platform admins see every tenant; a tenant admin only their own. Others see none. */
export function canSeeTenant(viewer: Viewer, tenantId: string): boolean {
  if (viewer.role === 'platform_admin') return true;
  return viewer.role === 'tenant_admin' && viewer.tenantId === tenantId;
}

/** Where each kind of viewer starts. */
export function homeOf(viewer: Viewer): string {
  if (viewer.role === 'platform_admin') return '/overview';
  if (viewer.role === 'tenant_admin' && viewer.tenantId) return `/t/${viewer.tenantId}`;
  if (viewer.role === 'mailbox_owner') return '/mailbox';
  return '/';
}

/**
 * Runs a server-side query and maps the API's answers to navigation: no session -> /login,
 * not found or not yours -> the 404 page (the two read alike, so ids cannot be probed).
 */
export async function queryOrNavigate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (hasApiErrorCode(error, 'UNAUTHENTICATED')) {
      await renewOrNull();
      redirect(`/login?next=${encodeURIComponent(await currentPath())}`);
    }
    if (hasApiErrorCode(error, 'NOT_FOUND', 'FORBIDDEN', 'VALIDATION')) notFound();
    throw error;
  }
}
