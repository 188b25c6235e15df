import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { ListLoading } from '@/components/list-loading';
import { DomainDocument } from '@/graphql/generated';
import { PreloadQuery } from '@/lib/server/apollo';
import { loadDomain, loadTenant } from '@/lib/server/loaders';
import { DomainPageClient } from './page-client';

type Props = PageProps<'/t/[tenantId]/domains/[domainId]'>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenantId, domainId } = await params;
  return { title: (await loadDomain(tenantId, domainId)).displayName };
}

/** One domain: the DNS records to publish with their state, verification, DKIM, deletion. */
export default async function DomainPage({ params }: Props) {
  const { tenantId, domainId } = await params;
  await loadTenant(tenantId);
  const domain = await loadDomain(tenantId, domainId);
  return (
    <>
      <Breadcrumbs items={[{ label: 'Domains', href: `/t/${tenantId}/domains` }, { label: domain.displayName }]} />
      <PreloadQuery query={DomainDocument} variables={{ id: domainId }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading the domain…" />}>
            <DomainPageClient tenantId={tenantId} queryRef={queryRef} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
