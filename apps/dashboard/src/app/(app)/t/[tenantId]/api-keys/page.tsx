import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { ApiKeysDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { PreloadQuery } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { ApiKeysPageClient } from './page-client';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage({ params }: PageProps<'/t/[tenantId]/api-keys'>) {
  const { tenantId } = await params;
  await loadTenant(tenantId);
  return (
    <>
      <div className="page-head">
        <h1>API keys</h1>
      </div>
      <p className="muted">Keys let your own systems (billing, provisioning) manage this tenant through the API, with the rights of a tenant admin.</p>
      <PreloadQuery query={ApiKeysDocument} variables={{ tenantId, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading API keys…" />}>
            <ApiKeysPageClient tenantId={tenantId} queryRef={queryRef} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
