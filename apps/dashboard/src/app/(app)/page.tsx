import { redirect } from 'next/navigation';
import { requireViewer } from '@/lib/server/viewer';

/** Home: platform admins start at the tenant list, tenant admins at their own tenant. */
export default async function HomePage() {
  const viewer = await requireViewer();
  if (viewer.role === 'platform_admin') redirect('/tenants');
  if (viewer.role === 'tenant_admin' && viewer.tenantId) redirect(`/t/${viewer.tenantId}`);
  return (
    <section className="card">
      <h1>Nothing to manage here</h1>
      <p>
        You are signed in as <strong>{viewer.email}</strong>. This dashboard is for platform and tenant
        administrators; mailbox settings come in a later release.
      </p>
    </section>
  );
}
