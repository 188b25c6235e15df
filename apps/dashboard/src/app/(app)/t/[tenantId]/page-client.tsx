'use client';

import type { QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { useRefetchable } from '@/components/use-refetchable';
import type { DomainsData, DomainsVariables } from '@/graphql/domains';
import { AddDomainForm } from './add-domain-form';

interface Props {
  tenantId: string;
  queryRef: QueryRef<DomainsData, DomainsVariables>;
}

type Domain = DomainsData['domains']['nodes'][number];

export function TenantPageClient({ tenantId, queryRef }: Props) {
  const { data, refreshing, reload } = useRefetchable(queryRef);
  return (
    <div className="split">
      <ListSection<Domain>
        id="domains"
        title="Domains"
        noun="domains"
        empty="No domains yet"
        rows={data.domains.nodes}
        totalCount={data.domains.totalCount}
        busy={refreshing}
        columns={[
          { header: 'Domain', cell: (d) => <Link href={`/t/${tenantId}/domains/${d.id}`}>{d.name}</Link> },
          { header: 'Status', cell: (d) => <StatusBadge status={d.status} /> },
        ]}
      />
      <AddDomainForm tenantId={tenantId} onAdded={reload} />
    </div>
  );
}
