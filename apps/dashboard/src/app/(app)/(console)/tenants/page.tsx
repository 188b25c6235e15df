import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { PlansDocument, TenantsDocument, type TenantStatus } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { getClient, PreloadQuery } from '@/lib/server/apollo';
import { queryOrNavigate, requirePlatformAdmin } from '@/lib/server/viewer';
import { TenantsPageClient } from './page-client';

export const metadata: Metadata = { title: 'Tenants' };

/** Every customer with its usage against its plan. Filters live in the URL (?q=&status=&plan=). */
export default async function TenantsPage({ searchParams }: PageProps<'/tenants'>) {
  await requirePlatformAdmin();
  const params = await searchParams;
  const q = typeof params['q'] === 'string' ? params['q'].trim() : '';
  const status = params['status'] === 'active' || params['status'] === 'suspended' ? (params['status'] as TenantStatus) : undefined;
  const planId = typeof params['plan'] === 'string' && params['plan'] ? params['plan'] : undefined;
  const { data: plans } = await queryOrNavigate(async () => (await getClient()).query({ query: PlansDocument, variables: { first: 200 } }));
  const variables = { first: PAGE_SIZE, nameContains: q || null, status: status ?? null, planId: planId ?? null };
  return (
    <>
      <div className="page-head">
        <h1>Tenants</h1>
      </div>
      <PreloadQuery query={TenantsDocument} variables={variables}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading tenants…" />}>
            <TenantsPageClient queryRef={queryRef} plans={plans?.plans.nodes ?? []} filters={{ q, status: status ?? '', planId: planId ?? '' }} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
