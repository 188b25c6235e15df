import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { hasApiErrorCode } from '@/lib/api-error';
import { ME } from '@/graphql/session';
import type { Actor } from '@/graphql/types';
import { getClient } from './apollo';
import { readSessionToken } from './session';

/**
 * The signed-in actor for this request, or null when there is no session cookie or the API
 * rejects its token. Asked of the API once per request (React `cache`), however many layouts and
 * pages call it. Other failures (API down) throw, so the error page shows instead of a login loop.
 */
export const getViewer = cache(async (): Promise<Actor | null> => {
  if (!(await readSessionToken())) return null;
  try {
    const { data } = await (await getClient()).query({ query: ME });
    return data?.me ?? null;
  } catch (error) {
    if (hasApiErrorCode(error, 'UNAUTHENTICATED')) return null;
    throw error;
  }
});

/** The signed-in actor, or a redirect to /login. Call it in every layout and page that needs one. */
export async function requireViewer(): Promise<Actor> {
  const viewer = await getViewer();
  if (!viewer) redirect('/login');
  return viewer;
}

/** Platform admins see every tenant; a tenant admin only their own. Others see none. */
export function canSeeTenant(viewer: Actor, tenantId: string): boolean {
  if (viewer.role === 'platform_admin') return true;
  return viewer.role === 'tenant_admin' && viewer.tenantId === tenantId;
}

/**
 * Runs a server-side query and maps the API's answers to navigation: no session -> /login,
 * not found or not yours -> the 404 page (the two read alike, so ids cannot be probed).
 */
export async function queryOrNavigate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (hasApiErrorCode(error, 'UNAUTHENTICATED')) redirect('/login');
    if (hasApiErrorCode(error, 'NOT_FOUND', 'FORBIDDEN')) notFound();
    throw error;
  }
}
