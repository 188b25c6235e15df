'use client';

import type { QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { FilterForm } from '@/components/filter-form';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { UsageBar } from '@/components/usage-bar';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import type { PlanFieldsFragment, TenantsQuery, TenantsQueryVariables } from '@/graphql/generated';
import { formatBytes } from '@/lib/format';
import { NewTenantForm } from './new-tenant-form';

type Tenant = TenantsQuery['tenants']['nodes'][number];

interface Props {
  queryRef: QueryRef<TenantsQuery, TenantsQueryVariables>;
  plans: readonly PlanFieldsFragment[];
  filters: { q: string; status: string; planId: string };
}

export function TenantsPageClient({ queryRef, plans, filters }: Props) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'tenants');
  const filtered = Boolean(filters.q || filters.status || filters.planId);

  return (
    <div className="split">
      <ListSection<Tenant>
        id="tenants"
        title="All tenants"
        noun="tenants"
        empty={filtered ? 'No tenant matches these filters.' : 'No tenants yet. Create the first one with the form.'}
        rows={data.tenants.nodes}
        totalCount={data.tenants.totalCount}
        busy={refreshing}
        toolbar={
          <FilterForm label="Filter tenants" path="/tenants" keys={['q', 'status', 'plan']}>
            <div className="field">
              <label htmlFor="tenant-filter-q">Name contains</label>
              <input id="tenant-filter-q" name="q" type="search" defaultValue={filters.q} />
            </div>
            <div className="field">
              <label htmlFor="tenant-filter-status">Status</label>
              <select id="tenant-filter-status" name="status" defaultValue={filters.status}>
                <option value="">Any</option>
                <option value="active">Active</option>
                <option value="suspended">Suspended</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="tenant-filter-plan">Plan</label>
              <select id="tenant-filter-plan" name="plan" defaultValue={filters.planId}>
                <option value="">Any</option>
                {plans.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          </FilterForm>
        }
        footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="tenants" />}
        columns={[
          {
            header: 'Tenant',
            cell: (t) => (
              <>
                <Link href={`/tenants/${t.id}`}>{t.name}</Link>
                {t.externalId ? <div className="muted small">{t.externalId}</div> : null}
              </>
            ),
          },
          { header: 'Status', cell: (t) => <StatusBadge status={t.status} /> },
          { header: 'Plan', cell: (t) => t.plan.name },
          { header: 'Mailboxes', cell: (t) => <UsageBar compact label="Mailboxes" used={t.usage.mailboxes.used} limit={t.usage.mailboxes.limit} percent={t.usage.mailboxes.percent} /> },
          { header: 'Domains', cell: (t) => <UsageBar compact label="Domains" used={t.usage.domains.used} limit={t.usage.domains.limit} percent={t.usage.domains.percent} /> },
          {
            header: 'Storage allocated',
            cell: (t) => (
              <UsageBar compact label="Storage" used={t.usage.storageAllocated.used} limit={t.usage.storageAllocated.limit} percent={t.usage.storageAllocated.percent} format={formatBytes} />
            ),
          },
          { header: 'Stored', numeric: true, cell: (t) => formatBytes(t.usage.storageUsedBytes) },
        ]}
      />
      <NewTenantForm plans={plans} onCreated={reload} />
    </div>
  );
}
