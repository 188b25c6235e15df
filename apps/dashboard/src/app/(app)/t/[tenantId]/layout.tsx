import { loadTenant } from '@/lib/server/loaders';

/**
 * Every page under /t/<tenantId> goes through here: the tenant is loaded and the viewer's access to
 * it checked on the server before any child renders. Children read the same cached answer.
 */
export default async function TenantLayout({ children, params }: LayoutProps<'/t/[tenantId]'>) {
  const { tenantId } = await params;
  await loadTenant(tenantId);
  return <>{children}</>;
}
