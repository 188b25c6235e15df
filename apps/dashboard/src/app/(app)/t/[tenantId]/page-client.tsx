'use client';

import { useQueryRefHandlers, useReadQuery, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { useTransition } from 'react';
import { StatusBadge } from '@/components/status-badge';
import type { DomainsData, DomainsVariables } from '@/graphql/domains';
import { AddDomainForm } from './add-domain-form';

interface Props {
  tenantId: string;
  queryRef: QueryRef<DomainsData, DomainsVariables>;
}

export function TenantPageClient({ tenantId, queryRef }: Props) {
  const { data } = useReadQuery(queryRef);
  const { refetch } = useQueryRefHandlers(queryRef);
  const [refreshing, startTransition] = useTransition();
  const { nodes, totalCount } = data.domains;

  return (
    <div className="split">
      <section aria-labelledby="domains-heading" aria-busy={refreshing}>
        <h2 id="domains-heading">Domains</h2>
        {nodes.length === 0 ? (
          <p className="empty">No domains yet</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((domain) => (
                  <tr key={domain.id}>
                    <td>
                      <Link href={`/t/${tenantId}/domains/${domain.id}`}>{domain.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={domain.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {totalCount > nodes.length ? (
          <p className="muted">
            Showing {nodes.length} of {totalCount} domains.
          </p>
        ) : null}
      </section>
      <AddDomainForm tenantId={tenantId} onAdded={() => startTransition(async () => void (await refetch()))} />
    </div>
  );
}
