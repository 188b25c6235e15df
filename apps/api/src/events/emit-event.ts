import type { DataSource, EntityManager } from '@darwin/db';
import { EVENTS_CHANNEL, type PlatformEvent } from './platform-event.js';

/**
 * Sends a platform event. Call it with the manager of the transaction that made the change: NOTIFY
 * is delivered at COMMIT and dropped on ROLLBACK, so listeners never hear of a change that did not
 * happen. Payloads are small JSON objects (PostgreSQL caps a payload at 8000 bytes).
 */
export async function emitEvent(m: EntityManager | DataSource, event: PlatformEvent): Promise<void> {
  await m.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
}
