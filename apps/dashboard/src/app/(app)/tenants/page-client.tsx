'use client';

import type { QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { useRefetchable } from '@/components/use-refetchable';
import type { TenantsData, TenantsVariables } from '@/graphql/tenants';
import { NewTenantForm } from './new-tenant-form';

type Tenant = TenantsData['tenants']['nodes'][number];

export function TenantsPageClient({ queryRef }: { queryRef: QueryRef<TenantsData, TenantsVariables> }) {
  const { data, refreshing, reload } = useRefetchable(queryRef);
  return (
    <div className="split">
      <ListSection<Tenant>
        id="tenants"
        title="All tenants"
        noun="tenants"
        empty="No tenants yet"
        rows={data.tenants.nodes}
        totalCount={data.tenants.totalCount}
        busy={refreshing}
        columns={[
          { header: 'Name', cell: (t) => <Link href={`/t/${t.id}`}>{t.name}</Link> },
          { header: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
        ]}
      />
      <NewTenantForm onCreated={reload} />
    </div>
  );
}
