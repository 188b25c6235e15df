import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Breadcrumbs, type Crumb } from '@/components/breadcrumbs';
import { ListLoading } from '@/components/list-loading';
import { StatusBadge } from '@/components/status-badge';
import { MAILBOXES } from '@/graphql/mailboxes';
import { PAGE_SIZE } from '@/graphql/types';
import { PreloadQuery } from '@/lib/server/apollo';
import { loadDomain, loadTenant } from '@/lib/server/loaders';
import { requireViewer } from '@/lib/server/viewer';
import { DomainPageClient } from './page-client';

type Props = PageProps<'/t/[tenantId]/domains/[domainId]'>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { tenantId, domainId } = await params;
  return { title: (await loadDomain(tenantId, domainId)).name };
}

/** A domain: its mailboxes, and a form to create one. */
export default async function DomainPage({ params }: Props) {
  const { tenantId, domainId } = await params;
  const viewer = await requireViewer();
  const [tenant, domain] = await Promise.all([loadTenant(tenantId), loadDomain(tenantId, domainId)]);
  const crumbs: Crumb[] = [
    ...(viewer.role === 'platform_admin' ? [{ label: 'Tenants', href: '/tenants' }] : []),
    { label: tenant.name, href: `/t/${tenantId}` },
    { label: domain.name },
  ];
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1>{domain.name}</h1>
        <StatusBadge status={domain.status} />
      </div>
      <PreloadQuery query={MAILBOXES} variables={{ domainId, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading mailboxes…" />}>
            <DomainPageClient domainId={domainId} domainName={domain.name} queryRef={queryRef} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
