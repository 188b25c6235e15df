import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Breadcrumbs, type Crumb } from '@/components/breadcrumbs';
import { ListLoading } from '@/components/list-loading';
import { StatusBadge } from '@/components/status-badge';
import { DOMAINS } from '@/graphql/domains';
import { PAGE_SIZE } from '@/graphql/types';
import { PreloadQuery } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { requireViewer } from '@/lib/server/viewer';
import { TenantPageClient } from './page-client';

export async function generateMetadata({ params }: PageProps<'/t/[tenantId]'>): Promise<Metadata> {
  const { tenantId } = await params;
  return { title: (await loadTenant(tenantId)).name };
}

/** A tenant: its domains, and a form to add one. */
export default async function TenantPage({ params }: PageProps<'/t/[tenantId]'>) {
  const { tenantId } = await params;
  const viewer = await requireViewer();
  const tenant = await loadTenant(tenantId);
  const crumbs: Crumb[] =
    viewer.role === 'platform_admin'
      ? [{ label: 'Tenants', href: '/tenants' }, { label: tenant.name }]
      : [{ label: tenant.name }];
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1>{tenant.name}</h1>
        <StatusBadge status={tenant.status} />
      </div>
      <PreloadQuery query={DOMAINS} variables={{ tenantId, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading domains…" />}>
            <TenantPageClient tenantId={tenantId} queryRef={queryRef} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
