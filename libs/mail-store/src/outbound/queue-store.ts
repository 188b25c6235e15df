import type pg from 'pg';
import { EVENTS_CHANNEL } from '../pg/events.js';
import { inTransaction } from '../pg/tx.js';

/**
 * The outbound queue in PostgreSQL (table outbound_queue, one row per remote recipient), as the
 * engine's delivery workers use it. Every state change happens in one transaction that also emits
 * `queue.changed` (NOTIFY on darwin_events, delivered at commit) so the control plane sees it.
 *
 * Life of a row:  queued ──claim──▶ sending ──▶ sent | bounced          (final)
 *                 deferred ◀──defer──┘   └──release / lease expiry──▶ queued | deferred
 * A final state gives back the row's blob reference (blob_id set to NULL, blobs.refcount - 1, the
 * blob deleted at zero: the rule of expunge), exactly once, since only the transition does it.
 */

export const FINAL_STATES = ['sent', 'bounced', 'cancelled'] as const;

/** One claimed recipient of one message. */
export interface QueuedDelivery {
  readonly id: string;
  readonly tenantId: string;
  readonly mailboxId: string | null;
  readonly blobId: string;
  /** Size of the message in bytes. */
  readonly size: number;
  /** Envelope sender; '' is the null sender. */
  readonly mailFrom: string;
  readonly rcptTo: string;
  readonly rcptDomain: string;
  /** RFC 3461 parameters kept at acceptance (NOTIFY, ORCPT, RET, ENVID). */
  readonly dsn: Readonly<Record<string, unknown>>;
  /** Attempts made before this claim. */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface ClaimOptions {
  /** Identifies the claiming worker (host, process, lane); stored in leased_by. */
  readonly workerId: string;
  readonly leaseMs: number;
  /** Most recipients claimed together (one SMTP transaction). */
  readonly maxRecipients: number;
  /** Recipient domains not to claim now (this process is already at their concurrency limit). */
  readonly skipDomains?: readonly string[];
}

export interface DeferItem {
  readonly id: string;
  readonly error: string;
  readonly nextAttemptAt: Date;
}

export interface FailItem {
  readonly id: string;
  readonly error: string;
}

export interface SigningKey {
  readonly domain: string;
  readonly selector: string;
  readonly privateKey: string;
}

interface ClaimedRow {
  id: string;
  tenant_id: string;
  mailbox_id: string | null;
  blob_id: string;
  size: string;
  mail_from: string;
  rcpt_to: string;
  rcpt_domain: string;
  dsn: Record<string, unknown> | null;
  attempts: number;
  created_at: Date;
  expires_at: Date;
}

interface ChangedRow {
  id: string;
  tenant_id: string;
  mailbox_id: string | null;
  state: string;
}

const CHANGED = 'q.id, q.tenant_id, q.mailbox_id, q.state';

/** Advisory lock namespace of destination slots (first key of pg_advisory_xact_lock(int, int)). */
const SLOT_LOCK_CLASS = 0x0d4a;
/** Advisory lock namespace of claim groups (one message's recipients at one domain), held for the claim transaction. */
const GROUP_LOCK_CLASS = 0x0d4b;

export class PgOutboundQueue {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Claims the due recipients of one message at one domain: the oldest due group that no other
   * worker is claiming (a transaction-scoped advisory lock per group) and its due rows (same blob,
   * sender, domain and creation time; FOR UPDATE SKIP LOCKED), up to maxRecipients. Rows of a mailbox whose outbound mail
   * is blocked stay where they are (held). The rows become `sending`, leased to the worker.
   */
  async claim(opts: ClaimOptions): Promise<QueuedDelivery[]> {
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<ClaimedRow>(
        `WITH candidates AS (
           SELECT q.id, q.tenant_id, q.blob_id, q.mail_from, q.rcpt_domain, q.created_at
             FROM outbound_queue q
            WHERE q.state IN ('queued', 'deferred') AND q.next_attempt_at <= now()
              AND q.rcpt_domain <> ALL ($4::text[])
              AND NOT EXISTS (SELECT 1 FROM mailboxes m WHERE m.id = q.mailbox_id AND m.outbound_blocked_at IS NOT NULL)
            ORDER BY q.next_attempt_at
            LIMIT 32
         ), lead AS (
           -- One claimer per message and domain: without this group lock, a second worker could take
           -- another recipient of the same message as its lead while the first still locks the batch,
           -- and the message would go out in two transactions. The filter runs over the sorted
           -- candidates one by one and stops at the first group it gets.
           SELECT c.* FROM candidates c
            WHERE pg_try_advisory_xact_lock(${GROUP_LOCK_CLASS}, hashtext(concat_ws('|', c.tenant_id, c.blob_id, c.mail_from, c.rcpt_domain, c.created_at)))
            LIMIT 1
         ), batch AS (
           SELECT q.id
             FROM outbound_queue q JOIN lead l
               ON q.blob_id = l.blob_id AND q.mail_from = l.mail_from AND q.rcpt_domain = l.rcpt_domain
              AND q.created_at = l.created_at AND q.tenant_id = l.tenant_id
            WHERE q.state IN ('queued', 'deferred') AND q.next_attempt_at <= now()
            ORDER BY q.id
            LIMIT $3
            FOR UPDATE OF q SKIP LOCKED
         )
         UPDATE outbound_queue q
            SET state = 'sending', leased_by = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
           FROM batch
          WHERE q.id = batch.id
         RETURNING q.id, q.tenant_id, q.mailbox_id, q.blob_id, (SELECT b.size FROM blobs b WHERE b.id = q.blob_id) AS size,
                   q.mail_from, q.rcpt_to, q.rcpt_domain, q.dsn, q.attempts, q.created_at, q.expires_at`,
        [opts.workerId, opts.leaseMs, opts.maxRecipients, [...(opts.skipDomains ?? [])]],
      );
      await emitQueueChanged(c, rows.map((r) => ({ id: r.id, tenant_id: r.tenant_id, mailbox_id: r.mailbox_id, state: 'sending' })));
      return rows
        .map((r) => ({
          id: r.id,
          tenantId: r.tenant_id,
          mailboxId: r.mailbox_id,
          blobId: r.blob_id,
          size: Number(r.size),
          mailFrom: r.mail_from,
          rcptTo: r.rcpt_to,
          rcptDomain: r.rcpt_domain,
          dsn: r.dsn ?? {},
          attempts: r.attempts,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
        }))
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    });
  }

  /** Extends the lease of rows the worker still holds; answers how many it still holds. */
  async renew(ids: readonly string[], workerId: string, leaseMs: number): Promise<number> {
    const r = await this.pool.query(
      `UPDATE outbound_queue SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = ANY ($1::bigint[]) AND state = 'sending' AND leased_by = $2`,
      [ids, workerId, leaseMs],
    );
    return r.rowCount ?? 0;
  }

  /**
   * The remote server accepted these recipients. Recorded even when the lease ran out meanwhile
   * (the mail did go out: retrying it would send it twice); only a final state is left alone.
   */
  async markSent(ids: readonly string[]): Promise<string[]> {
    return this.finish(ids.map((id) => ({ id, error: null })), 'sent', null);
  }

  /** Permanent failures of recipients the worker holds: state bounced, the blob reference returned. */
  async markBounced(items: readonly FailItem[], workerId: string | null): Promise<string[]> {
    return this.finish(items, 'bounced', workerId);
  }

  /** Temporary failures: back to deferred with the error and the time of the next attempt. */
  async defer(items: readonly DeferItem[], workerId: string): Promise<string[]> {
    if (items.length === 0) return [];
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<ChangedRow>(
        `UPDATE outbound_queue q
            SET state = 'deferred', attempts = q.attempts + 1, last_error = d.error, next_attempt_at = d.next_at,
                lease_until = NULL, leased_by = NULL, updated_at = now()
           FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS d(id, error, next_at)
          WHERE q.id = d.id AND q.state = 'sending' AND q.leased_by = $4
         RETURNING ${CHANGED}`,
        [items.map((i) => i.id), items.map((i) => i.error), items.map((i) => i.nextAttemptAt), workerId],
      );
      await emitQueueChanged(c, rows);
      return rows.map((r) => r.id);
    });
  }

  /**
   * Gives rows back without counting an attempt (destination busy, worker stopping): they are due
   * again at `retryAt`, for any worker.
   */
  async release(ids: readonly string[], workerId: string, retryAt: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<ChangedRow>(
        `UPDATE outbound_queue q
            SET state = CASE WHEN q.attempts = 0 THEN 'queued' ELSE 'deferred' END, next_attempt_at = $3,
                lease_until = NULL, leased_by = NULL, updated_at = now()
          WHERE q.id = ANY ($1::bigint[]) AND q.state = 'sending' AND q.leased_by = $2
         RETURNING ${CHANGED}`,
        [ids, workerId, retryAt],
      );
      await emitQueueChanged(c, rows);
      return rows.map((r) => r.id);
    });
  }

  /**
   * Rows whose worker died (its lease ran out) become due again at once, the interrupted attempt
   * counted. Any worker of any process may call this; concurrent callers skip each other's rows.
   */
  async recoverExpiredLeases(limit = 1000): Promise<number> {
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<ChangedRow>(
        `UPDATE outbound_queue q
            SET state = 'deferred', attempts = q.attempts + 1, next_attempt_at = now(),
                last_error = 'delivery interrupted: ' || coalesce(q.leased_by, 'a worker') || ' stopped before finishing',
                lease_until = NULL, leased_by = NULL, updated_at = now()
          WHERE q.id IN (SELECT id FROM outbound_queue WHERE state = 'sending' AND lease_until < now()
                          ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING ${CHANGED}`,
        [limit],
      );
      await emitQueueChanged(c, rows);
      return rows.length;
    });
  }

  /**
   * Takes one of `limit` delivery slots of a destination, counted across every process. The
   * transaction-scoped advisory lock serialises takers of one destination between count and insert;
   * slots whose lease ran out (crashed holder) are swept first. Undefined when all are taken.
   */
  async acquireSlot(destination: string, holder: string, limit: number, leaseMs: number): Promise<string | undefined> {
    return inTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SLOT_LOCK_CLASS, destination]);
      await c.query('DELETE FROM outbound_slots WHERE destination = $1 AND lease_until < now()', [destination]);
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO outbound_slots (destination, holder, lease_until)
         SELECT $1::varchar, $2::varchar, now() + make_interval(secs => $4::double precision / 1000)
          WHERE (SELECT count(*) FROM outbound_slots WHERE destination = $1::varchar) < $3
         RETURNING id`,
        [destination, holder, limit, leaseMs],
      );
      return rows[0]?.id;
    });
  }

  async renewSlot(slotId: string, leaseMs: number): Promise<void> {
    await this.pool.query('UPDATE outbound_slots SET lease_until = now() + make_interval(secs => $2::double precision / 1000) WHERE id = $1', [slotId, leaseMs]);
  }

  async releaseSlot(slotId: string): Promise<void> {
    await this.pool.query('DELETE FROM outbound_slots WHERE id = $1', [slotId]);
  }

  /** Deliveries in progress to a destination, across processes (slots whose lease has not run out). */
  async slotsInUse(destination: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbound_slots WHERE destination = $1 AND lease_until >= now()', [destination]);
    return rows[0]!.n;
  }

  /** The DKIM key of a hosted domain of this tenant, when the API has made one. */
  async signingKey(domain: string, tenantId: string): Promise<SigningKey | undefined> {
    const { rows } = await this.pool.query<{ name: string; dkim_selector: string; dkim_private_key: string }>(
      `SELECT name, dkim_selector, dkim_private_key FROM domains
        WHERE name = $1 AND tenant_id = $2 AND dkim_selector IS NOT NULL AND dkim_private_key IS NOT NULL`,
      [domain.toLowerCase(), tenantId],
    );
    const r = rows[0];
    return r ? { domain: r.name, selector: r.dkim_selector, privateKey: r.dkim_private_key } : undefined;
  }

  /**
   * Moves rows to a final state in one transaction: error recorded, attempt counted, blob_id
   * cleared, each blob's refcount lowered by its rows, blobs at zero deleted. Only rows not already
   * final change (so a reference is returned once); with a workerId, only rows it still holds.
   */
  private async finish(items: readonly { id: string; error: string | null }[], state: 'sent' | 'bounced', workerId: string | null): Promise<string[]> {
    if (items.length === 0) return [];
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<ChangedRow & { blob_id: string }>(
        `WITH old AS (
           SELECT o.id, o.blob_id FROM outbound_queue o
            WHERE o.id = ANY ($1::bigint[]) AND o.state NOT IN ('sent', 'bounced', 'cancelled')
              AND ($4::text IS NULL OR (o.state = 'sending' AND o.leased_by = $4))
            ORDER BY o.id
            FOR UPDATE
         )
         UPDATE outbound_queue q
            SET state = $3, attempts = q.attempts + 1, last_error = d.error, blob_id = NULL,
                lease_until = NULL, leased_by = NULL, updated_at = now()
           FROM old JOIN unnest($1::bigint[], $2::text[]) AS d(id, error) ON d.id = old.id
          WHERE q.id = old.id
         RETURNING ${CHANGED}, old.blob_id`,
        [items.map((i) => i.id), items.map((i) => i.error), state, workerId],
      );
      await releaseBlobs(c, rows.map((r) => r.blob_id));
      await emitQueueChanged(c, rows);
      return rows.map((r) => r.id);
    });
  }
}

/** One reference per entry; blobs locked in id order (as expunge does), deleted when unreferenced. */
async function releaseBlobs(c: pg.PoolClient, blobIds: readonly string[]): Promise<void> {
  if (blobIds.length === 0) return;
  const perBlob = new Map<string, number>();
  for (const id of blobIds) perBlob.set(id, (perBlob.get(id) ?? 0) + 1);
  const ids = [...perBlob.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  await c.query(`UPDATE blobs b SET refcount = b.refcount - d.n FROM unnest($1::bigint[], $2::int[]) AS d(id, n) WHERE b.id = d.id`, [
    ids,
    ids.map((id) => perBlob.get(id)!),
  ]);
  await c.query('DELETE FROM blobs WHERE id = ANY ($1::bigint[]) AND refcount <= 0', [ids]);
}

/** `queue.changed` for each row (with its mailbox, which the API uses to filter subscriptions). */
async function emitQueueChanged(c: pg.PoolClient, rows: readonly ChangedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const payloads = rows.map((r) => JSON.stringify({ type: 'queue.changed', tenantId: r.tenant_id, queueId: r.id, state: r.state, mailboxId: r.mailbox_id }));
  await c.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [EVENTS_CHANNEL, payloads]);
}
