import { readdir, readFile } from 'node:fs/promises';
import { repoRoot } from '../../support/start-stack.js';

/**
 * Who may open which URL of the dashboard. The routes come from the filesystem (every page.tsx and
 * route.ts under apps/dashboard/src/app), so a page or route handler added without a case here
 * fails the coverage test instead of going untested.
 */

export const PERSONAS = ['visitor', 'provider', 'acting', 'customer', 'owner'] as const;
/**
 * visitor: no session; provider: a platform admin with its own session; acting: that admin acting
 * as Acme's tenant admin; customer: Acme's tenant admin; owner: the mailbox owner alice@acme.test.
 */
export type Persona = (typeof PERSONAS)[number];

/** `see`: a URL this persona opens (200, not the 404 page); `refused`: URLs it must not open. */
export interface Access {
  readonly see?: string;
  readonly refused?: readonly string[];
}

export interface AccessIds {
  /** Acme Corp: the customer's tenant, its domain acme.test and the mailbox alice@acme.test. */
  readonly tenant: string;
  readonly domain: string;
  readonly mailbox: string;
  /** Other Customer: another tenant, its domain other.test and its mailbox news@other.test. */
  readonly otherTenant: string;
  readonly otherDomain: string;
  readonly otherMailbox: string;
}

const APP_DIR = `${repoRoot}apps/dashboard/src/app`;

async function filesNamed(name: string): Promise<string[]> {
  const entries = await readdir(APP_DIR, { recursive: true });
  return entries.filter((e) => e === name || e.endsWith(`/${name}`)).sort();
}

/** The URL pattern of a file under app/: route groups "(x)" dropped, "[param]" kept. */
function routeOf(file: string): string {
  const segments = file.split('/').slice(0, -1).filter((s) => !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}

/** Every page route of the dashboard, e.g. "/t/[tenantId]/mailboxes/[mailboxId]". */
export async function pageRoutes(): Promise<string[]> {
  return (await filesNamed('page.tsx')).map(routeOf);
}

/** Every route handler with its HTTP methods, as "GET /api/events". */
export async function routeHandlers(): Promise<string[]> {
  const out: string[] = [];
  for (const file of await filesNamed('route.ts')) {
    const source = await readFile(`${APP_DIR}/${file}`, 'utf8');
    const methods = [...source.matchAll(/export\s+(?:async\s+function|const|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g)].map((m) => m[1]!);
    if (methods.length === 0) throw new Error(`${file} exports no HTTP method`);
    for (const method of methods) out.push(`${method} ${routeOf(file)}`);
  }
  return out.sort();
}

const see = (path: string, ...refused: string[]): Access => (refused.length ? { see: path, refused } : { see: path });
const no = (...refused: string[]): Access => ({ refused });

/** For each page route, what each persona may and may not open, with real ids. */
export function pageAccess(ids: AccessIds): Record<string, Record<Persona, Access>> {
  const own = `/t/${ids.tenant}`;
  const other = `/t/${ids.otherTenant}`;
  const everyoneSees = (path: string): Record<Persona, Access> => ({ visitor: see(path), provider: see(path), acting: see(path), customer: see(path), owner: see(path) });
  const signedIn = (path: string): Record<Persona, Access> => ({ visitor: no(path), provider: see(path), acting: see(path), customer: see(path), owner: see(path) });
  const consolePage = (path: string): Record<Persona, Access> => ({ visitor: no(path), provider: see(path), acting: no(path), customer: no(path), owner: no(path) });
  const mailboxPage = (path: string): Record<Persona, Access> => ({ visitor: no(path), provider: no(path), acting: no(path), customer: no(path), owner: see(path) });
  /** A page of the customer portal: its own tenant's for Acme's admin (and the provider), nobody else's. */
  const tenantPage = (ownPath: string, ...foreign: string[]): Record<Persona, Access> => ({
    visitor: no(ownPath),
    provider: see(ownPath),
    acting: see(ownPath, ...foreign),
    customer: see(ownPath, ...foreign),
    owner: no(ownPath, ...foreign),
  });
  return {
    '/login': everyoneSees('/login'),
    '/': signedIn('/'),
    '/overview': consolePage('/overview'),
    '/plans': consolePage('/plans'),
    '/tenants': consolePage('/tenants'),
    '/tenants/[tenantId]': consolePage(`/tenants/${ids.tenant}`),
    '/queue': consolePage('/queue'),
    '/abuse': consolePage('/abuse'),
    '/audit': consolePage('/audit'),
    '/mailbox': mailboxPage('/mailbox'),
    '/mailbox/settings': mailboxPage('/mailbox/settings'),
    '/mailbox/setup': mailboxPage('/mailbox/setup'),
    '/t/[tenantId]': tenantPage(own, other),
    '/t/[tenantId]/domains': tenantPage(`${own}/domains`, `${other}/domains`),
    // Another tenant's domain under its own URL, and under this tenant's URL.
    '/t/[tenantId]/domains/[domainId]': tenantPage(`${own}/domains/${ids.domain}`, `${other}/domains/${ids.otherDomain}`, `${own}/domains/${ids.otherDomain}`, `${other}/domains/${ids.domain}`),
    '/t/[tenantId]/mailboxes': tenantPage(`${own}/mailboxes`, `${other}/mailboxes`),
    '/t/[tenantId]/mailboxes/[mailboxId]': tenantPage(
      `${own}/mailboxes/${ids.mailbox}`,
      `${other}/mailboxes/${ids.otherMailbox}`,
      `${own}/mailboxes/${ids.otherMailbox}`,
      `${other}/mailboxes/${ids.mailbox}`,
    ),
    '/t/[tenantId]/aliases': tenantPage(`${own}/aliases`, `${other}/aliases`),
    '/t/[tenantId]/api-keys': tenantPage(`${own}/api-keys`, `${other}/api-keys`),
    '/t/[tenantId]/audit': tenantPage(`${own}/audit`, `${other}/audit`),
  };
}

export interface HandlerCase {
  readonly who: Persona;
  /** Path with query string. */
  readonly path: string;
  readonly body?: unknown;
  /** The HTTP status answered (redirects not followed). */
  readonly status?: number;
  /** The error code of the JSON answer (errors[0].extensions.code), one of these. */
  readonly code?: readonly string[];
  /** Redirects followed, the browser ends on this page. */
  readonly landsOn?: RegExp;
}

/**
 * For each route handler (method and path), requests that must be refused (or must not give
 * anything away), at least one without a session. Each is what the browser of that persona would
 * send (its cookies, same origin).
 */
export function handlerAccess(ids: AccessIds): Record<string, readonly HandlerCase[]> {
  const unauthenticated = { status: 401, code: ['UNAUTHENTICATED'] } as const;
  const notYours = ['NOT_FOUND', 'FORBIDDEN'] as const;
  const mailboxQuery = (id: string) => ({ query: 'query($id: ID!) { mailbox(id: $id) { address } }', variables: { id } });
  const tenantQuery = (id: string) => ({ query: 'query($id: ID!) { tenant(id: $id) { name } }', variables: { id } });
  const profile = (id: string) => `/api/mailboxes/${id}/mobileconfig`;
  return {
    'GET /api/events': [
      { who: 'visitor', path: '/api/events?types=MAILBOX_BLOCKED', ...unauthenticated },
      // What a signed-in persona receives on the stream is checked live in the burst test.
    ],
    'POST /api/graphql': [
      { who: 'visitor', path: '/api/graphql', body: { query: '{ tenants { totalCount } }' }, code: ['UNAUTHENTICATED'] },
      { who: 'customer', path: '/api/graphql', body: mailboxQuery(ids.otherMailbox), code: notYours },
      { who: 'customer', path: '/api/graphql', body: tenantQuery(ids.otherTenant), code: notYours },
      { who: 'acting', path: '/api/graphql', body: mailboxQuery(ids.otherMailbox), code: notYours },
      { who: 'owner', path: '/api/graphql', body: tenantQuery(ids.tenant), code: notYours },
      { who: 'owner', path: '/api/graphql', body: mailboxQuery(ids.otherMailbox), code: notYours },
    ],
    'GET /api/mailboxes/[mailboxId]/mobileconfig': [
      { who: 'visitor', path: profile(ids.mailbox), ...unauthenticated },
      { who: 'customer', path: profile(ids.otherMailbox), status: 404, code: ['NOT_FOUND'] },
      { who: 'acting', path: profile(ids.otherMailbox), status: 404, code: ['NOT_FOUND'] },
      { who: 'owner', path: profile(ids.otherMailbox), status: 404, code: ['NOT_FOUND'] },
    ],
    // Signing in: a wrong password gets no session.
    'POST /api/session': [{ who: 'visitor', path: '/api/session', body: { email: 'nobody@acme.test', password: 'not-a-password' }, ...unauthenticated }],
    // Signing out without a session ends nothing and answers the same.
    'DELETE /api/session': [{ who: 'visitor', path: '/api/session', status: 204 }],
    'POST /api/session/acting': [
      { who: 'visitor', path: '/api/session/acting', body: { tenantId: ids.tenant, reason: 'probe' }, ...unauthenticated },
      { who: 'customer', path: '/api/session/acting', body: { tenantId: ids.otherTenant, reason: 'probe' }, status: 403, code: ['FORBIDDEN'] },
      { who: 'customer', path: '/api/session/acting', body: { tenantId: ids.tenant, reason: 'probe' }, status: 403, code: ['FORBIDDEN'] },
      { who: 'owner', path: '/api/session/acting', body: { tenantId: ids.tenant, reason: 'probe' }, status: 403, code: ['FORBIDDEN'] },
    ],
    'DELETE /api/session/acting': [{ who: 'visitor', path: '/api/session/acting', status: 204 }],
    // Drops a refused acting cookie and goes on: without a session that is the login page.
    'GET /api/session/acting': [{ who: 'visitor', path: '/api/session/acting?next=%2Foverview', landsOn: /\/login\?next=%2Foverview$/ }],
    'POST /api/session/password': [{ who: 'visitor', path: '/api/session/password', body: { currentPassword: 'x', newPassword: 'long-enough-password' }, ...unauthenticated }],
    'GET /api/session/refresh': [{ who: 'visitor', path: '/api/session/refresh?next=%2Foverview', landsOn: /\/login\?next=%2Foverview$/ }],
  };
}
