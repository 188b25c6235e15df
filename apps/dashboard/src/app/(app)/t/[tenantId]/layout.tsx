import Link from 'next/link';
import { StatusBadge } from '@/components/status-badge';
import { SubNav } from '@/components/sub-nav';
import { loadTenant } from '@/lib/server/loaders';
import { requireViewer } from '@/lib/server/viewer';

/**
 * The customer portal of one tenant. The tenant is loaded and the viewer's access to it checked on
 * the server before any child renders (a tenant admin of another tenant gets the 404 page); pages
 * call the same cached loader again.
 *
 * A platform admin may open any tenant's portal ("act as tenant admin"). The API has no
 * impersonation token, so they act with their own credentials: every change is recorded in the
 * audit log under their own name with this tenant's id, and this banner says so on every page.
 */
export default async function TenantLayout({ children, params }: LayoutProps<'/t/[tenantId]'>) {
  const { tenantId } = await params;
  const viewer = await requireViewer();
  const tenant = await loadTenant(tenantId);
  const base = `/t/${tenantId}`;
  return (
    <>
      {viewer.role === 'platform_admin' ? (
        <div className="act-as-banner" role="region" aria-label="Acting as tenant admin" data-testid="act-as-banner">
          <p>
            <strong>You are acting as the administrator of {tenant.name}.</strong> What you change here is recorded in the audit log under
            your own name ({viewer.email}).
          </p>
          <Link className="button button-small" href={`/tenants/${tenantId}`}>
            Back to the console
          </Link>
        </div>
      ) : null}
      <div className="portal-head">
        <p className="portal-name">
          {tenant.name} <StatusBadge status={tenant.status} />
        </p>
        <SubNav
          label="Tenant"
          items={[
            { href: base, label: 'Overview', prefix: false },
            { href: `${base}/domains`, label: 'Domains' },
            { href: `${base}/mailboxes`, label: 'Mailboxes' },
            { href: `${base}/aliases`, label: 'Aliases' },
            { href: `${base}/api-keys`, label: 'API keys' },
            { href: `${base}/audit`, label: 'Audit log' },
          ]}
        />
      </div>
      {tenant.status === 'suspended' ? (
        <p className="alert alert-error">This tenant is suspended: {tenant.suspensionReason ?? 'no reason given'}. Its mailboxes cannot log in and its mail is refused.</p>
      ) : null}
      {children}
    </>
  );
}
