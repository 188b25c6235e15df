'use client';

import { useQueryRefHandlers, useReadQuery, type QueryRef } from '@apollo/client/react';
import { useTransition } from 'react';

/** Reads a preloaded query and offers a refetch that marks the list busy while it runs. */
export function useRefetchable<TData, TVariables extends Record<string, unknown>>(queryRef: QueryRef<TData, TVariables>) {
  const { data } = useReadQuery(queryRef);
  const { refetch } = useQueryRefHandlers(queryRef);
  const [refreshing, startTransition] = useTransition();
  const reload = () => startTransition(async () => void (await refetch()));
  return { data, refreshing, reload };
}
