'use client';

import { useMutation, type QueryRef } from '@apollo/client/react';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmAction } from '@/components/confirm-action';
import { ListSection } from '@/components/list-section';
import { StatusBadge } from '@/components/status-badge';
import { LiveIndicator, useLiveEvents } from '@/components/use-live-events';
import { LoadMoreButton, useRefetchable } from '@/components/use-refetchable';
import { ReleaseMailboxDocument, type AbuseEventFieldsFragment, type AbuseEventsQuery, type AbuseEventsQueryVariables } from '@/graphql/generated';
import { formatDateTime } from '@/lib/format';

type Blocked = AbuseEventsQuery['blockedMailboxes']['nodes'][number];

const KIND_LABELS: Record<string, string> = { send_burst: 'Sending burst', auth_failures: 'Failed logins' };

export function AbusePageClient({ queryRef, filter }: { queryRef: QueryRef<AbuseEventsQuery, AbuseEventsQueryVariables>; filter: 'open' | 'resolved' | 'all' }) {
  const { data, refreshing, reload, hasMore, loadMore, loadingMore } = useRefetchable(queryRef, 'abuseEvents');
  const [release] = useMutation(ReleaseMailboxDocument);
  const [announcement, setAnnouncement] = useState<string>();
  const { connected } = useLiveEvents(['MAILBOX_BLOCKED', 'MAILBOX_RELEASED'], (event) => {
    if (event.__typename === 'MailboxBlockedEvent') setAnnouncement(`A mailbox was just blocked for a sending burst.`);
    reload();
  });
  const addressOf = new Map(data.blockedMailboxes.nodes.map((m) => [m.id, m.address]));

  return (
    <div className="stack">
      <div className="section-head">
        <LiveIndicator connected={connected} />
        <p role="status" aria-live="polite" className={announcement ? 'alert alert-warn' : 'visually-hidden'} data-testid="abuse-announcement">
          {announcement ?? ''}
        </p>
      </div>
      <ListSection<Blocked>
        id="blocked"
        title="Blocked mailboxes"
        noun="mailboxes"
        empty="No mailbox is blocked."
        rows={data.blockedMailboxes.nodes}
        totalCount={data.blockedMailboxes.totalCount}
        busy={refreshing}
        columns={[
          { header: 'Mailbox', className: 'address', cell: (m) => <Link href={`/t/${m.tenantId}/mailboxes/${m.id}`}>{m.address}</Link> },
          { header: 'Blocked', cell: (m) => formatDateTime(m.outboundBlockedAt) },
          { header: 'Reason', cell: (m) => m.outboundBlockedReason ?? '—' },
          {
            header: 'Actions',
            cell: (m) => (
              <ConfirmAction
                label="Release"
                ariaLabel={`Release ${m.address}`}
                buttonClassName="button button-small"
                danger={false}
                title={`Release ${m.address}?`}
                confirmLabel="Release mailbox"
                onConfirm={async () => {
                  await release({ variables: { id: m.id } });
                  setAnnouncement(`${m.address} was released; its held mail goes out.`);
                  reload();
                }}
              >
                <p>Its held outbound mail goes out and its open abuse events are marked resolved by you.</p>
              </ConfirmAction>
            ),
          },
        ]}
      />
      <ListSection<AbuseEventFieldsFragment>
        id="abuse-events"
        title="Abuse events"
        noun="events"
        empty={filter === 'open' ? 'No open abuse events.' : 'No abuse events.'}
        rows={data.abuseEvents.nodes}
        totalCount={data.abuseEvents.totalCount}
        busy={refreshing}
        toolbar={
          <nav aria-label="Show abuse events" className="pills">
            {(['open', 'resolved', 'all'] as const).map((f) => (
              <Link key={f} href={f === 'open' ? '/abuse' : `/abuse?show=${f}`} aria-current={filter === f ? 'page' : undefined}>
                {f === 'open' ? 'Open' : f === 'resolved' ? 'Resolved' : 'All'}
              </Link>
            ))}
          </nav>
        }
        footer={<LoadMoreButton hasMore={hasMore} loading={loadingMore} onClick={loadMore} noun="events" />}
        columns={[
          { header: 'When', cell: (e) => formatDateTime(e.createdAt) },
          { header: 'Kind', cell: (e) => KIND_LABELS[e.kind] ?? e.kind },
          {
            header: 'Who',
            className: 'address',
            cell: (e) =>
              e.mailboxId && e.tenantId ? (
                <Link href={`/t/${e.tenantId}/mailboxes/${e.mailboxId}`}>{addressOf.get(e.mailboxId) ?? `mailbox ${e.mailboxId.slice(0, 8)}`}</Link>
              ) : (
                (e.ip ?? '—')
              ),
          },
          { header: 'Figures', cell: (e) => <Figures details={e.details} /> },
          { header: 'Status', cell: (e) => (e.resolvedAt ? <StatusBadge status="resolved" label={`resolved ${formatDateTime(e.resolvedAt)}`} /> : <StatusBadge status="open" />) },
        ]}
      />
    </div>
  );
}

/** The detector's figures (counts per window, limits) as a compact list. */
function Figures({ details }: { details: unknown }) {
  if (!details || typeof details !== 'object') return <span className="muted">—</span>;
  const entries = Object.entries(details as Record<string, unknown>);
  return (
    <dl className="figures-inline">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{humanise(key)}</dt>
          <dd>{typeof value === 'object' && value !== null ? Object.entries(value).map(([k, v]) => `${humanise(k)} ${String(v)}`).join(', ') : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function humanise(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
