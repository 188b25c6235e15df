'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { useState } from 'react';
import { FilterForm } from '@/components/filter-form';
import { ConfirmAction } from '@/components/confirm-action';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { LiveIndicator, useLiveEvents } from '@/components/use-live-events';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import {
  DeleteQueuedMessageDocument,
  RetryQueuedMessageDocument,
  type OutboundQueueQuery,
  type OutboundQueueQueryVariables,
  type OutboundState,
  type QueuedMessageFieldsFragment,
} from '@/graphql/generated';
import { toApiError, type ApiError } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

interface Props {
  queryRef: QueryRef<OutboundQueueQuery, OutboundQueueQueryVariables>;
  filters: { state: string; q: string };
  states: readonly OutboundState[];
}

export function QueuePageClient({ queryRef, filters, states }: Props) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'outboundQueue');
  const [retry] = useMutation(RetryQueuedMessageDocument);
  const [remove] = useMutation(DeleteQueuedMessageDocument);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [changed, setChanged] = useState(0);
  const { connected } = useLiveEvents(['QUEUE_CHANGED'], () => setChanged((n) => n + 1));
  const actionable = (m: QueuedMessageFieldsFragment) => m.state === 'queued' || m.state === 'deferred';

  return (
    <ListSection<QueuedMessageFieldsFragment>
      id="queue"
      title={filters.state ? `Messages ${filters.state}` : 'Waiting to go out'}
      noun="messages"
      empty={filters.state || filters.q ? 'No message matches these filters.' : 'The queue is empty: everything has gone out.'}
      rows={data.outboundQueue.nodes}
      totalCount={data.outboundQueue.totalCount}
      busy={refreshing}
      toolbar={
        <>
          <FilterForm label="Filter the queue" path="/queue" keys={['state', 'q']}>
            <div className="field">
              <label htmlFor="queue-state">State</label>
              <select id="queue-state" name="state" defaultValue={filters.state}>
                <option value="">Waiting (queued, deferred, sending)</option>
                {states.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="queue-q">Sender or recipient contains</label>
              <input id="queue-q" name="q" type="search" defaultValue={filters.q} />
            </div>
          </FilterForm>
          <div className="section-head">
            <LiveIndicator connected={connected} />
            {changed > 0 ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  setChanged(0);
                  reload();
                }}
              >
                {changed} change{changed === 1 ? '' : 's'} since loading: refresh
              </button>
            ) : null}
          </div>
          {error ? (
            <p role="alert" className="alert alert-error">
              {error.message} <span className="error-code">({error.code})</span>
            </p>
          ) : null}
          {notice ? (
            <p role="status" className="alert alert-success">
              {notice}
            </p>
          ) : null}
        </>
      }
      footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="messages" />}
      columns={[
        { header: 'Recipient', className: 'address', cell: (m) => m.rcptTo },
        { header: 'Sender', className: 'address', cell: (m) => m.mailFrom || '<> (bounce)' },
        { header: 'State', cell: (m) => <StatusBadge status={m.state} /> },
        { header: 'Attempts', numeric: true, cell: (m) => m.attempts },
        {
          header: 'Next attempt',
          cell: (m) => (
            <>
              {actionable(m) ? formatDateTime(m.nextAttemptAt) : '—'}
              {m.lastError ? <div className="muted small">{m.lastError}</div> : null}
            </>
          ),
        },
        { header: 'Tenant', cell: (m) => <Link href={`/tenants/${m.tenantId}`}>{m.tenantId.slice(0, 8)}</Link> },
        {
          header: 'Actions',
          cell: (m) =>
            actionable(m) ? (
              <div className="row-actions">
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Retry now (to ${m.rcptTo})`}
                  onClick={async () => {
                    setError(undefined);
                    setNotice(undefined);
                    try {
                      await retry({ variables: { id: m.id } });
                      setNotice(`Delivery to ${m.rcptTo} will be tried now.`);
                      reload();
                    } catch (caught) {
                      setError(toApiError(caught));
                    }
                  }}
                >
                  Retry now
                </button>
                <ConfirmAction
                  label="Delete"
                  ariaLabel={`Delete the message to ${m.rcptTo}`}
                  buttonClassName="button button-small button-danger"
                  title={`Delete the message to ${m.rcptTo}?`}
                  confirmLabel="Delete message"
                  onConfirm={async () => {
                    await remove({ variables: { id: m.id } });
                    setNotice(`The message to ${m.rcptTo} was cancelled.`);
                    reload();
                  }}
                >
                  <p>It will never be sent and the sender is not told. This cannot be undone.</p>
                </ConfirmAction>
              </div>
            ) : (
              <span className="muted">—</span>
            ),
        },
      ]}
    />
  );
}
