import type { EntityManager } from '@darwin/db';

/**
 * Today's rows of platform_stats_daily and tenant_stats_daily, taken in the caller's transaction.
 * "Today" is the UTC day, as the engine counts mail_stats_daily. Mail counts keep the highest value
 * seen today (mail_stats_daily loses a mailbox's rows with the mailbox); every other figure is
 * replaced by what is there now, so a past day ends with its last snapshot.
 */

/** Advisory lock (two-key form, class 'STAT') serialising snapshot writers across API processes. */
export const STATS_LOCK = [0x53544154, 1] as const;

/** Outbound states that are still waiting to leave (what the console calls "the queue"). */
const WAITING = `('queued', 'deferred', 'sending')`;
const TODAY = `(now() AT TIME ZONE 'UTC')::date`;

const PLATFORM_SNAPSHOT = `
INSERT INTO platform_stats_daily AS p (day, tenants, domains, mailboxes, storage_bytes, messages, queue_size,
                                       open_abuse_events, blocked_mailboxes, received_messages, sent_messages, taken_at)
SELECT ${TODAY},
       (SELECT count(*) FROM tenants)::int,
       (SELECT count(*) FROM domains)::int,
       mb.n, mb.bytes, mb.msgs,
       (SELECT count(*) FROM outbound_queue WHERE state IN ${WAITING})::int,
       (SELECT count(*) FROM abuse_events WHERE resolved_at IS NULL)::int,
       mb.blocked,
       coalesce(ms.rm, 0), coalesce(ms.sm, 0),
       now()
  FROM (SELECT count(*)::int AS n, coalesce(sum(used_bytes), 0)::bigint AS bytes, coalesce(sum(used_messages), 0)::bigint AS msgs,
               (count(*) FILTER (WHERE outbound_blocked_at IS NOT NULL))::int AS blocked
          FROM mailboxes) mb,
       (SELECT sum(received_messages)::int AS rm, sum(sent_messages)::int AS sm FROM mail_stats_daily WHERE day = ${TODAY}) ms
ON CONFLICT (day) DO UPDATE SET
  tenants = EXCLUDED.tenants, domains = EXCLUDED.domains, mailboxes = EXCLUDED.mailboxes,
  storage_bytes = EXCLUDED.storage_bytes, messages = EXCLUDED.messages, queue_size = EXCLUDED.queue_size,
  open_abuse_events = EXCLUDED.open_abuse_events, blocked_mailboxes = EXCLUDED.blocked_mailboxes,
  received_messages = GREATEST(p.received_messages, EXCLUDED.received_messages),
  sent_messages = GREATEST(p.sent_messages, EXCLUDED.sent_messages),
  taken_at = EXCLUDED.taken_at`;

const TENANT_SNAPSHOT = `
INSERT INTO tenant_stats_daily AS s (day, tenant_id, domains, mailboxes, aliases, storage_bytes, messages, queue_size,
                                     open_abuse_events, blocked_mailboxes, received_messages, sent_messages, taken_at)
SELECT ${TODAY}, t.id, coalesce(dm.n, 0), coalesce(mb.n, 0), coalesce(al.n, 0), coalesce(mb.bytes, 0), coalesce(mb.msgs, 0),
       coalesce(q.n, 0), coalesce(ab.n, 0), coalesce(mb.blocked, 0), coalesce(ms.rm, 0), coalesce(ms.sm, 0), now()
  FROM tenants t
  LEFT JOIN (SELECT tenant_id, count(*)::int AS n FROM domains GROUP BY tenant_id) dm ON dm.tenant_id = t.id
  LEFT JOIN (SELECT tenant_id, count(*)::int AS n, sum(used_bytes)::bigint AS bytes, sum(used_messages)::bigint AS msgs,
                    (count(*) FILTER (WHERE outbound_blocked_at IS NOT NULL))::int AS blocked
               FROM mailboxes GROUP BY tenant_id) mb ON mb.tenant_id = t.id
  LEFT JOIN (SELECT tenant_id, count(*)::int AS n FROM aliases GROUP BY tenant_id) al ON al.tenant_id = t.id
  LEFT JOIN (SELECT tenant_id, count(*)::int AS n FROM outbound_queue WHERE state IN ${WAITING} GROUP BY tenant_id) q ON q.tenant_id = t.id
  LEFT JOIN (SELECT tenant_id, count(*)::int AS n FROM abuse_events WHERE resolved_at IS NULL AND tenant_id IS NOT NULL GROUP BY tenant_id) ab ON ab.tenant_id = t.id
  LEFT JOIN (SELECT tenant_id, sum(received_messages)::int AS rm, sum(sent_messages)::int AS sm
               FROM mail_stats_daily WHERE day = ${TODAY} GROUP BY tenant_id) ms ON ms.tenant_id = t.id
ON CONFLICT (day, tenant_id) DO UPDATE SET
  domains = EXCLUDED.domains, mailboxes = EXCLUDED.mailboxes, aliases = EXCLUDED.aliases,
  storage_bytes = EXCLUDED.storage_bytes, messages = EXCLUDED.messages, queue_size = EXCLUDED.queue_size,
  open_abuse_events = EXCLUDED.open_abuse_events, blocked_mailboxes = EXCLUDED.blocked_mailboxes,
  received_messages = GREATEST(s.received_messages, EXCLUDED.received_messages),
  sent_messages = GREATEST(s.sent_messages, EXCLUDED.sent_messages),
  taken_at = EXCLUDED.taken_at`;

/**
 * Takes the lock (waiting for it, or giving up at once when `wait` is false), then writes today's
 * snapshot unless another writer did within `maxAgeMs`. Answers whether it wrote. Must run in a
 * transaction (the lock is held until it ends).
 */
export async function takeSnapshot(m: EntityManager, opts: { maxAgeMs: number; wait: boolean }): Promise<boolean> {
  if (opts.wait) {
    await m.query('SELECT pg_advisory_xact_lock($1, $2)', [...STATS_LOCK]);
  } else {
    const [lock] = await m.query('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [...STATS_LOCK]);
    if (!lock.ok) return false;
  }
  const [row] = await m.query(
    `SELECT taken_at > now() - $1::int * interval '1 millisecond' AS fresh FROM platform_stats_daily WHERE day = ${TODAY}`,
    [Math.max(0, Math.floor(opts.maxAgeMs))],
  );
  if (row?.fresh) return false;
  await m.query(PLATFORM_SNAPSHOT);
  await m.query(TENANT_SNAPSHOT);
  return true;
}
