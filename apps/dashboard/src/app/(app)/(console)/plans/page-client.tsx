'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import { useState } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { ListSection } from '@/components/list-section';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import { DeletePlanDocument, type PlanFieldsFragment, type PlansQuery, type PlansQueryVariables } from '@/graphql/generated';
import { formatBytes, formatNumber } from '@/lib/format';
import { PlanForm } from './plan-form';

export function PlansPageClient({ queryRef }: { queryRef: QueryRef<PlansQuery, PlansQueryVariables> }) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'plans');
  const [editing, setEditing] = useState<PlanFieldsFragment>();
  const [deletePlan] = useMutation(DeletePlanDocument);

  return (
    <div className="stack">
      <ListSection<PlanFieldsFragment>
        id="plans"
        title="All plans"
        noun="plans"
        empty="No plans yet. Create the first one with the form."
        rows={data.plans.nodes}
        totalCount={data.plans.totalCount}
        busy={refreshing}
        footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="plans" />}
        columns={[
          { header: 'Name', cell: (p) => <strong>{p.name}</strong> },
          { header: 'Domains', numeric: true, cell: (p) => formatNumber(p.maxDomains) },
          { header: 'Mailboxes', numeric: true, cell: (p) => formatNumber(p.maxMailboxes) },
          { header: 'Aliases', numeric: true, cell: (p) => formatNumber(p.maxAliases) },
          { header: 'Storage', numeric: true, cell: (p) => formatBytes(p.storageBytes) },
          { header: 'Mailbox quota', numeric: true, cell: (p) => `${formatBytes(p.defaultMailboxQuotaBytes)} (max ${formatBytes(p.maxMailboxQuotaBytes)})` },
          { header: 'Sending', numeric: true, cell: (p) => `${p.sendPerMinute}/min · ${p.sendPerHour}/h · ${p.sendPerDay}/day` },
          {
            header: 'Actions',
            cell: (p) => (
              <div className="row-actions">
                <button type="button" className="button button-small" onClick={() => setEditing(p)} aria-label={`Edit plan ${p.name}`}>
                  Edit
                </button>
                <ConfirmAction
                  label="Delete"
                  ariaLabel={`Delete plan ${p.name}`}
                  buttonClassName="button button-small button-danger"
                  title={`Delete plan “${p.name}”?`}
                  confirmLabel="Delete plan"
                  onConfirm={async () => {
                    await deletePlan({ variables: { id: p.id } });
                    if (editing?.id === p.id) setEditing(undefined);
                    reload();
                  }}
                >
                  <p>A plan that tenants are on cannot be deleted; move them to another plan first.</p>
                </ConfirmAction>
              </div>
            ),
          },
        ]}
      />
      <div className="plan-forms">
        {editing ? (
          <PlanForm key={editing.id} plan={editing} onSaved={reload} onCancel={() => setEditing(undefined)} />
        ) : null}
        <PlanForm key="new" onSaved={reload} />
      </div>
    </div>
  );
}
