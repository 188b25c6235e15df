import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { AliasesDocument, DomainsDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { getClient, PreloadQuery } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { queryOrNavigate } from '@/lib/server/viewer';
import { AliasesPageClient } from './page-client';

export const metadata: Metadata = { title: 'Aliases' };

export default async function AliasesPage({ params }: PageProps<'/t/[tenantId]/aliases'>) {
  const { tenantId } = await params;
  await loadTenant(tenantId);
  const { data: domains } = await queryOrNavigate(async () => (await getClient()).query({ query: DomainsDocument, variables: { tenantId, first: 200 } }));
  return (
    <>
      <div className="page-head">
        <h1>Aliases and catch-all</h1>
      </div>
      <PreloadQuery query={AliasesDocument} variables={{ tenantId, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading aliases…" />}>
            <AliasesPageClient queryRef={queryRef} domains={(domains?.domains.nodes ?? []).map((d) => ({ id: d.id, name: d.name, displayName: d.displayName }))} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
