'use client';

import { useEffect, useRef, useState } from 'react';
import type { PlatformEventType, PlatformEventsSubscription } from '@/graphql/generated';

export type PlatformEvent = PlatformEventsSubscription['events'];

/**
 * Live platform events (the API's GraphQL subscription, relayed by app/api/events as server-sent
 * events). Calls `onEvent` for each one; `connected` says whether the stream is open now.
 * EventSource reconnects by itself after a drop.
 */
export function useLiveEvents(types: readonly PlatformEventType[], onEvent: (event: PlatformEvent) => void): { connected: boolean } {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = types.join(',');

  useEffect(() => {
    const source = new EventSource(`/api/events?types=${encodeURIComponent(key)}`);
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('end', () => setConnected(false));
    source.addEventListener('platform', (message) => {
      try {
        handler.current(JSON.parse((message as MessageEvent<string>).data) as PlatformEvent);
      } catch {
        // A malformed message is dropped.
      }
    });
    return () => source.close();
  }, [key]);

  return { connected };
}

export function LiveIndicator({ connected }: { connected: boolean }) {
  return (
    <span className={connected ? 'live live-on' : 'live'} data-testid="live-indicator" data-connected={connected}>
      <span className="live-dot" aria-hidden="true" /> {connected ? 'Live' : 'Connecting…'}
    </span>
  );
}
