import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { AbuseEventsDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { PreloadQuery } from '@/lib/server/apollo';
import { requirePlatformAdmin } from '@/lib/server/viewer';
import { AbusePageClient } from './page-client';

export const metadata: Metadata = { title: 'Abuse' };

/** Burst blocks and login abuse, with their figures; blocked mailboxes can be released. ?show=open|resolved|all */
export default async function AbusePage({ searchParams }: PageProps<'/abuse'>) {
  await requirePlatformAdmin();
  const show = (await searchParams)['show'];
  const filter = show === 'resolved' || show === 'all' ? show : 'open';
  const open = filter === 'open' ? true : filter === 'resolved' ? false : null;
  return (
    <>
      <div className="page-head">
        <h1>Abuse</h1>
      </div>
      <PreloadQuery query={AbuseEventsDocument} variables={{ open, first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading abuse events…" />}>
            <AbusePageClient queryRef={queryRef} filter={filter} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
