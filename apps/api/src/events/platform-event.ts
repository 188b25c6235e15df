/**
 * Platform events: what happened that a console should show at once. Every process (API and mail
 * engine) sends them with `SELECT pg_notify('darwin_events', <json>)` inside the transaction that
 * caused them, so they are delivered only if and when it commits, to every API process.
 * libs/mail-store/src/pg/events.ts sends the engine's (same channel, same payloads).
 */
export const EVENTS_CHANNEL = 'darwin_events';

export type PlatformEvent =
  | { readonly type: 'mailbox.blocked'; readonly tenantId: string; readonly mailboxId: string; readonly eventId: string }
  | { readonly type: 'mailbox.released'; readonly tenantId: string; readonly mailboxId: string }
  | { readonly type: 'queue.changed'; readonly tenantId: string; readonly queueId: string; readonly state: string; readonly mailboxId?: string | null }
  | { readonly type: 'quota.crossed'; readonly tenantId: string; readonly mailboxId: string; readonly percent: 80 | 90 | 100 }
  | { readonly type: 'domain.verified'; readonly tenantId: string; readonly domainId: string; readonly domain: string };

export type PlatformEventType = PlatformEvent['type'];

export const EVENT_TYPES: readonly PlatformEventType[] = ['mailbox.blocked', 'mailbox.released', 'queue.changed', 'quota.crossed', 'domain.verified'];

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 300;

/** A payload from the channel, checked field by field; undefined for anything malformed or unknown. */
export function parsePlatformEvent(payload: string): PlatformEvent | undefined {
  let v: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    v = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!str(v.tenantId)) return undefined;
  const tenantId = v.tenantId;
  switch (v.type) {
    case 'mailbox.blocked':
      return str(v.mailboxId) && (str(v.eventId) || typeof v.eventId === 'number')
        ? { type: v.type, tenantId, mailboxId: v.mailboxId, eventId: String(v.eventId) }
        : undefined;
    case 'mailbox.released':
      return str(v.mailboxId) ? { type: v.type, tenantId, mailboxId: v.mailboxId } : undefined;
    case 'queue.changed':
      return (str(v.queueId) || typeof v.queueId === 'number') && str(v.state)
        ? { type: v.type, tenantId, queueId: String(v.queueId), state: v.state, mailboxId: str(v.mailboxId) ? v.mailboxId : null }
        : undefined;
    case 'quota.crossed':
      return str(v.mailboxId) && (v.percent === 80 || v.percent === 90 || v.percent === 100)
        ? { type: v.type, tenantId, mailboxId: v.mailboxId, percent: v.percent }
        : undefined;
    case 'domain.verified':
      return str(v.domainId) && str(v.domain) ? { type: v.type, tenantId, domainId: v.domainId, domain: v.domain } : undefined;
    default:
      return undefined;
  }
}
