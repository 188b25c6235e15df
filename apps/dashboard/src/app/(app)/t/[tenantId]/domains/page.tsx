import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { DomainsDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { PreloadQuery } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { DomainsPageClient } from './page-client';

export const metadata: Metadata = { title: 'Domains' };

export default async function DomainsPage({ params, searchParams }: PageProps<'/t/[tenantId]/domains'>) {
  const { tenantId } = await params;
  await loadTenant(tenantId);
  // Set by the domain page after a deletion: what was removed.
  const deleted = (await searchParams)['deleted'];
  return (
    <>
      <div className="page-head">
        <h1>Domains</h1>
      </div>
      {typeof deleted === 'string' ? (
        <p role="status" className="alert alert-success">
          Deleted {deleted}.
        </p>
      ) : null}
      <PreloadQuery query={DomainsDocument} variables={{ tenantId, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading domains…" />}>
            <DomainsPageClient tenantId={tenantId} queryRef={queryRef} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
