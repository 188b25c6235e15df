'use client';

import { useQueryRefHandlers, useReadQuery, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { useTransition } from 'react';
import { StatusBadge } from '@/components/status-badge';
import type { TenantsData, TenantsVariables } from '@/graphql/tenants';
import { NewTenantForm } from './new-tenant-form';

export function TenantsPageClient({ queryRef }: { queryRef: QueryRef<TenantsData, TenantsVariables> }) {
  const { data } = useReadQuery(queryRef);
  const { refetch } = useQueryRefHandlers(queryRef);
  const [refreshing, startTransition] = useTransition();
  const { nodes, totalCount } = data.tenants;

  return (
    <div className="split">
      <section aria-labelledby="tenants-heading" aria-busy={refreshing}>
        <h2 id="tenants-heading">All tenants</h2>
        {nodes.length === 0 ? (
          <p className="empty">No tenants yet</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((tenant) => (
                  <tr key={tenant.id}>
                    <td>
                      <Link href={`/t/${tenant.id}`}>{tenant.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={tenant.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {totalCount > nodes.length ? (
          <p className="muted">
            Showing {nodes.length} of {totalCount} tenants.
          </p>
        ) : null}
      </section>
      <NewTenantForm onCreated={() => startTransition(async () => void (await refetch()))} />
    </div>
  );
}
