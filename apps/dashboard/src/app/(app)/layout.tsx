import Link from 'next/link';
import type { ReactNode } from 'react';
import { SubNav } from '@/components/sub-nav';
import { homeOf, requireViewer } from '@/lib/server/viewer';
import { SignOutButton } from './sign-out-button';

const ROLE_LABELS: Record<string, string> = {
  platform_admin: 'Provider',
  tenant_admin: 'Customer admin',
  mailbox_owner: 'Mailbox',
};

const CONSOLE_NAV = [
  { href: '/overview', label: 'Overview' },
  { href: '/plans', label: 'Plans' },
  { href: '/tenants', label: 'Tenants' },
  { href: '/queue', label: 'Queue' },
  { href: '/abuse', label: 'Abuse' },
  { href: '/audit', label: 'Audit log' },
];

/**
 * Everything behind sign-in. The session is checked here on the server (`me`), once per request;
 * pages call their own guard too (same cached answer), because a layout is not re-rendered on
 * every client-side navigation and must not be the only gate. The provider's console navigation is
 * here; the customer portal and the mailbox pages have theirs in their own layouts.
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href={homeOf(viewer)} className="brand">
            Darwin Mail
          </Link>
          <div className="session">
            <span className="session-role">{viewer.impersonatedBy ? 'Acting as customer admin' : (ROLE_LABELS[viewer.role] ?? viewer.role)}</span>
            <span className="session-email" data-testid="signed-in-email">
              {viewer.email}
            </span>
            <SignOutButton />
          </div>
        </div>
        {viewer.role === 'platform_admin' ? (
          <div className="site-header-inner">
            <SubNav label="Console" items={CONSOLE_NAV} />
          </div>
        ) : null}
      </header>
      <main className="page" id="main">
        {children}
      </main>
    </>
  );
}
