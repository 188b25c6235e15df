import Link from 'next/link';
import { StatusBadge } from '@/components/status-badge';
import { StopActingButton } from '@/components/acting';
import { SubNav } from '@/components/sub-nav';
import { formatDateTime } from '@/lib/format';
import { loadTenant } from '@/lib/server/loaders';
import { requireViewer } from '@/lib/server/viewer';

/**
 * The customer portal of one tenant. The tenant is loaded and the viewer's access to it checked on
 * the server before any child renders (a tenant admin of another tenant gets the 404 page); pages
 * call the same cached loader again.
 *
 * A platform admin sees it two ways, each with a banner on every page:
 * - acting as the tenant admin ("Act as tenant admin" in the console): the API's impersonation
 *   token, so exactly the tenant admin's view and rights (another tenant's pages are 404); the
 *   start (with the reason) and every change are in the audit log under the platform admin's name;
 * - with their own session (provider view): provider rights, e.g. releasing a blocked mailbox.
 */
export default async function TenantLayout({ children, params }: LayoutProps<'/t/[tenantId]'>) {
  const { tenantId } = await params;
  const viewer = await requireViewer();
  const tenant = await loadTenant(tenantId);
  const base = `/t/${tenantId}`;
  const acting = viewer.impersonation;
  return (
    <>
      {acting && viewer.impersonatedBy ? (
        <div className="act-as-banner" role="region" aria-label="Acting as tenant admin" data-testid="act-as-banner">
          <p>
            <strong>You are acting as the administrator of {tenant.name}.</strong> Reason: “{acting.reason}”. Until {formatDateTime(acting.expiresAt)}; what you
            change is recorded in the audit log under your own name ({viewer.impersonatedBy.email}).
          </p>
          <StopActingButton tenantId={tenantId} />
        </div>
      ) : null}
      {viewer.role === 'platform_admin' ? (
        <div className="act-as-banner" role="region" aria-label="Provider view" data-testid="provider-view-banner">
          <p>
            <strong>Provider view of {tenant.name}.</strong> You see this portal with your own account ({viewer.email}); what you change is recorded under your
            name. To see exactly what the customer sees, act as the tenant admin.
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
