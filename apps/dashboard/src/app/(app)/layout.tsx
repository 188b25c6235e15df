import Link from 'next/link';
import type { ReactNode } from 'react';
import { requireViewer } from '@/lib/server/viewer';
import { SignOutButton } from './sign-out-button';

const ROLE_LABELS: Record<string, string> = {
  platform_admin: 'Platform admin',
  tenant_admin: 'Tenant admin',
  mailbox_owner: 'Mailbox owner',
};

/**
 * Everything behind sign-in. The session is checked here on the server (`me`), once per request;
 * pages call `requireViewer()` too (same cached answer), because a layout is not re-rendered on
 * every client-side navigation and must not be the only gate.
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  const home = viewer.role === 'platform_admin' ? '/tenants' : viewer.tenantId ? `/t/${viewer.tenantId}` : '/';
  return (
    <>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href={home} className="brand">
            Darwin Mail
          </Link>
          {viewer.role === 'platform_admin' ? (
            <nav aria-label="Main" className="main-nav">
              <Link href="/tenants">Tenants</Link>
            </nav>
          ) : null}
          <div className="session">
            <span className="session-email" data-testid="signed-in-email" title={ROLE_LABELS[viewer.role] ?? viewer.role}>
              {viewer.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="page">{children}</main>
    </>
  );
}
