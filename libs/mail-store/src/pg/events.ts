import type pg from 'pg';

/**
 * Platform events for the control plane (GraphQL subscriptions), sent with NOTIFY so that they
 * reach every API process, and only when the transaction that caused them commits.
 */
export const EVENTS_CHANNEL = 'darwin_events';

export type PlatformEvent =
  | { readonly type: 'quota.crossed'; readonly tenantId: string; readonly mailboxId: string; readonly percent: 80 | 90 | 100 }
  | { readonly type: 'mailbox.blocked'; readonly tenantId: string; readonly mailboxId: string; readonly eventId: string }
  | { readonly type: 'queue.changed'; readonly tenantId: string; readonly queueId: string; readonly state: string };

export async function emitEvent(c: pg.PoolClient, event: PlatformEvent): Promise<void> {
  await c.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
}

const THRESHOLDS = [80, 90, 100] as const;

/** The usage thresholds passed by going from `before` to `after` bytes of `quota`. */
export function quotaCrossings(before: number, after: number, quota: number): (80 | 90 | 100)[] {
  if (quota <= 0) return [];
  return THRESHOLDS.filter((t) => before * 100 < t * quota && after * 100 >= t * quota);
}
