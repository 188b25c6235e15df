import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditLogView } from '@/components/audit-log-view';
import { ListLoading } from '@/components/list-loading';
import { AuditLogDocument, OperatorsDocument, TenantNamesDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { getClient, PreloadQuery } from '@/lib/server/apollo';
import { queryOrNavigate, requirePlatformAdmin } from '@/lib/server/viewer';

export const metadata: Metadata = { title: 'Audit log' };

/** Everything recorded on the platform, filtered by actor, tenant and action (?actor=&tenant=&action=). */
export default async function AuditPage({ searchParams }: PageProps<'/audit'>) {
  await requirePlatformAdmin();
  const params = await searchParams;
  const pick = (k: string) => (typeof params[k] === 'string' ? (params[k] as string).trim() : '');
  const filters = { actor: pick('actor'), tenant: pick('tenant'), action: pick('action') };
  const client = await getClient();
  const [{ data: operators }, { data: tenants }] = await queryOrNavigate(() =>
    Promise.all([client.query({ query: OperatorsDocument, variables: {} }), client.query({ query: TenantNamesDocument })]),
  );
  const actors = (operators?.operators.nodes ?? []).map((o) => ({ id: o.id, label: o.email }));
  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
      </div>
      <PreloadQuery
        query={AuditLogDocument}
        variables={{ actorId: filters.actor || null, tenantId: filters.tenant || null, action: filters.action || null, first: PAGE_SIZE }}
      >
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading the audit log…" />}>
            <AuditLogView queryRef={queryRef} filters={filters} actors={actors} tenants={(tenants?.tenants.nodes ?? []).map((t) => ({ id: t.id, name: t.name }))} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
