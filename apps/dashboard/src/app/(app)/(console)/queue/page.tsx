import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { OutboundQueueDocument, type OutboundState } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { PreloadQuery } from '@/lib/server/apollo';
import { requirePlatformAdmin } from '@/lib/server/viewer';
import { QueuePageClient } from './page-client';

export const metadata: Metadata = { title: 'Outbound queue' };

const STATES: readonly OutboundState[] = ['queued', 'deferred', 'sending', 'sent', 'bounced', 'cancelled'];

/** Outbound mail per recipient. Filters are in the URL: ?state=deferred&q=example.org. */
export default async function QueuePage({ searchParams }: PageProps<'/queue'>) {
  await requirePlatformAdmin();
  const params = await searchParams;
  const state = typeof params['state'] === 'string' && (STATES as readonly string[]).includes(params['state']) ? (params['state'] as OutboundState) : undefined;
  const q = typeof params['q'] === 'string' ? params['q'].trim() : '';
  // Without a state filter the queue shows what is still to go out.
  const states: OutboundState[] = state ? [state] : ['queued', 'deferred', 'sending'];
  return (
    <>
      <div className="page-head">
        <h1>Outbound queue</h1>
      </div>
      <PreloadQuery query={OutboundQueueDocument} variables={{ states, addressContains: q || null, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading the queue…" />}>
            <QueuePageClient queryRef={queryRef} filters={{ state: state ?? '', q }} states={STATES} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
