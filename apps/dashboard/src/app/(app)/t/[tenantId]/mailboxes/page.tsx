import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { DomainsDocument, MailboxesDocument, TenantDetailDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { getClient, PreloadQuery } from '@/lib/server/apollo';
import { loadTenant } from '@/lib/server/loaders';
import { queryOrNavigate } from '@/lib/server/viewer';
import { MailboxesPageClient } from './page-client';

export const metadata: Metadata = { title: 'Mailboxes' };

/** The tenant's mailboxes with their quota use; filters in the URL (?domain=&q=). */
export default async function MailboxesPage({ params, searchParams }: PageProps<'/t/[tenantId]/mailboxes'>) {
  const { tenantId } = await params;
  await loadTenant(tenantId);
  const query = await searchParams;
  const domainId = typeof query['domain'] === 'string' && query['domain'] ? query['domain'] : '';
  const q = typeof query['q'] === 'string' ? query['q'].trim() : '';
  const client = await getClient();
  const [{ data: domains }, { data: tenant }] = await queryOrNavigate(() =>
    Promise.all([
      client.query({ query: DomainsDocument, variables: { tenantId, first: 200 } }),
      client.query({ query: TenantDetailDocument, variables: { id: tenantId } }),
    ]),
  );
  const plan = tenant?.tenant.plan;
  return (
    <>
      <div className="page-head">
        <h1>Mailboxes</h1>
      </div>
      <PreloadQuery query={MailboxesDocument} variables={{ tenantId, domainId: domainId || null, addressContains: q || null, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading mailboxes…" />}>
            <MailboxesPageClient
              tenantId={tenantId}
              queryRef={queryRef}
              domains={(domains?.domains.nodes ?? []).map((d) => ({ id: d.id, name: d.name, displayName: d.displayName }))}
              filters={{ domainId, q }}
              quota={plan ? { default: plan.defaultMailboxQuotaBytes, max: plan.maxMailboxQuotaBytes } : undefined}
            />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
