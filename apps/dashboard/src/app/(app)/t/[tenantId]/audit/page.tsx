import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditLogView } from '@/components/audit-log-view';
import { ListLoading } from '@/components/list-loading';
import { AuditLogDocument, TenantOperatorsDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { getClient, PreloadQuery } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { queryOrNavigate } from '@/lib/server/viewer';

export const metadata: Metadata = { title: 'Audit log' };

/** What was done in this tenant, by whom: always scoped to the tenant in the URL. */
export default async function TenantAuditPage({ params, searchParams }: PageProps<'/t/[tenantId]/audit'>) {
  const { tenantId } = await params;
  await loadTenant(tenantId);
  const query = await searchParams;
  const pick = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).trim() : '');
  const filters = { actor: pick('actor'), tenant: tenantId, action: pick('action') };
  const { data: operators } = await queryOrNavigate(async () => (await getClient()).query({ query: TenantOperatorsDocument, variables: { tenantId } }));
  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
      </div>
      <PreloadQuery query={AuditLogDocument} variables={{ tenantId, actorId: filters.actor || null, action: filters.action || null, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading the audit log…" />}>
            <AuditLogView queryRef={queryRef} filters={filters} actors={(operators?.operators.nodes ?? []).map((o) => ({ id: o.id, label: o.email }))} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
