'use client';

import { useQueryRefHandlers, useReadQuery, type QueryRef } from '@apollo/client/react';
import { useState, useTransition } from 'react';

interface Connection {
  nodes: readonly unknown[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Reads a query preloaded by the server page and offers a refetch that marks the list busy while
 * it runs. With `connection` (the name of a connection field of the result), also "load more":
 * the next page is fetched with `after` and its nodes appended.
 */
export function useRefetchable<TData, TVariables extends Record<string, unknown>>(queryRef: QueryRef<TData, TVariables>, connection?: keyof TData & string) {
  const { data } = useReadQuery(queryRef);
  const { refetch, fetchMore } = useQueryRefHandlers(queryRef);
  const [refreshing, startTransition] = useTransition();
  const [loadingMore, setLoadingMore] = useState(false);
  const reload = () => startTransition(async () => void (await refetch()));

  const page = connection ? (data[connection] as unknown as Connection | undefined) : undefined;
  const hasMore = Boolean(page?.pageInfo.hasNextPage);
  const loadMore = async () => {
    if (!connection || !page?.pageInfo.endCursor) return;
    setLoadingMore(true);
    try {
      await fetchMore({
        variables: { after: page.pageInfo.endCursor } as unknown as Partial<TVariables>,
        updateQuery: (previous, { fetchMoreResult }) => {
          const before = previous[connection] as unknown as Connection;
          const next = fetchMoreResult[connection] as unknown as Connection;
          return { ...fetchMoreResult, [connection]: { ...next, nodes: [...before.nodes, ...next.nodes] } } as TData;
        },
      });
    } finally {
      setLoadingMore(false);
    }
  };
  return { data, refreshing, reload, hasMore, loadMore, loadingMore };
}

export function LoadMoreButton({ hasMore, loading, onClick, noun }: { hasMore: boolean; loading: boolean; onClick: () => void; noun: string }) {
  if (!hasMore) return null;
  return (
    <p>
      <button type="button" className="button" onClick={onClick} disabled={loading} aria-busy={loading}>
        {loading ? 'Loading…' : `Load more ${noun}`}
      </button>
    </p>
  );
}
