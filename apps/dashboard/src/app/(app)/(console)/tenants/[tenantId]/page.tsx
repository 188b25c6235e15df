import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { ListLoading } from '@/components/list-loading';
import { PlansDocument, TenantDetailDocument, TenantOperatorsDocument } from '@/graphql/generated';
import { getClient, PreloadQuery } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { queryOrNavigate, requirePlatformAdmin } from '@/lib/server/viewer';
import { TenantDetailClient } from './page-client';

type Props = PageProps<'/tenants/[tenantId]'>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenantId } = await params;
  return { title: (await loadTenant(tenantId)).name };
}

/** One tenant as the provider sees it: plan and usage, suspension, plan change, its admins. */
export default async function TenantDetailPage({ params }: Props) {
  await requirePlatformAdmin();
  const { tenantId } = await params;
  const tenant = await loadTenant(tenantId);
  const { data: plans } = await queryOrNavigate(async () => (await getClient()).query({ query: PlansDocument, variables: { first: 200 } }));
  return (
    <>
      <Breadcrumbs items={[{ label: 'Tenants', href: '/tenants' }, { label: tenant.name }]} />
      <PreloadQuery query={TenantDetailDocument} variables={{ id: tenantId }}>
        {(detailRef) => (
          <PreloadQuery query={TenantOperatorsDocument} variables={{ tenantId }}>
            {(operatorsRef) => (
              <Suspense fallback={<ListLoading label="Loading tenant…" />}>
                <TenantDetailClient detailRef={detailRef} operatorsRef={operatorsRef} plans={plans?.plans.nodes ?? []} />
              </Suspense>
            )}
          </PreloadQuery>
        )}
      </PreloadQuery>
    </>
  );
}
