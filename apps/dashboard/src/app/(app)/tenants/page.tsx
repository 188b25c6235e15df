import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { TENANTS } from '@/graphql/tenants';
import { PAGE_SIZE } from '@/graphql/types';
import { PreloadQuery } from '@/lib/server/apollo';
import { requireViewer } from '@/lib/server/viewer';
import { TenantsPageClient } from './page-client';

export const metadata: Metadata = { title: 'Tenants' };

/**
 * Platform admins only; anyone else goes home (a tenant admin's home is their tenant). The list is
 * fetched here on the server and streamed into the client component's cache.
 */
export default async function TenantsPage() {
  const viewer = await requireViewer();
  if (viewer.role !== 'platform_admin') redirect('/');
  return (
    <>
      <div className="page-head">
        <h1>Tenants</h1>
      </div>
      <PreloadQuery query={TENANTS} variables={{ first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading tenants…" />}>
            <TenantsPageClient queryRef={queryRef} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
