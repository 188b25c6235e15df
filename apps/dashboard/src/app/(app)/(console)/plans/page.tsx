import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ListLoading } from '@/components/list-loading';
import { PlansDocument } from '@/graphql/generated';
import { PAGE_SIZE } from '@/graphql/page-size';
import { PreloadQuery } from '@/lib/server/apollo';
import { requirePlatformAdmin } from '@/lib/server/viewer';
import { PlansPageClient } from './page-client';

export const metadata: Metadata = { title: 'Plans' };

/** The packages the provider sells: list, create, edit limits, delete unused. */
export default async function PlansPage() {
  await requirePlatformAdmin();
  return (
    <>
      <div className="page-head">
        <h1>Plans</h1>
      </div>
      <PreloadQuery query={PlansDocument} variables={{ first: PAGE_SIZE }}>
        {(queryRef) => (
          <Suspense fallback={<ListLoading label="Loading plans…" />}>
            <PlansPageClient queryRef={queryRef} />
          </Suspense>
        )}
      </PreloadQuery>
    </>
  );
}
