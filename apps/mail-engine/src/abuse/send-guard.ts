import type { Logger } from '@darwin/logger';
import { emitEvent } from '@darwin/mail-store';
import type pg from 'pg';

export interface SendGuardOptions {
  /** A tenant as a whole may send this multiple of its plan's per-mailbox rates. */
  readonly tenantFactor: number;
  /** More attempts within a minute than this multiple of the per-minute rate blocks the mailbox. */
  readonly burstFactor: number;
  readonly logger: Logger;
}

export type RateWindow = 'minute' | 'hour' | 'day';

export interface SendLimits {
  readonly perMinute: number;
  readonly perHour: number;
  readonly perDay: number;
}

export interface SendRequest {
  readonly mailboxId: string;
  readonly tenantId: string;
  /** How much this submission counts: its number of recipients. */
  readonly weight: number;
  /** Client address, recorded with an abuse event. */
  readonly ip?: string;
}

export type SendDecision =
  | { readonly verdict: 'accept'; readonly reservation: Reservation }
  | { readonly verdict: 'rate_limited'; readonly scope: 'mailbox' | 'tenant'; readonly window: RateWindow; readonly limit: number }
  /** The mailbox is (now, or already) blocked; `eventId` when this submission triggered the block. */
  | { readonly verdict: 'blocked'; readonly eventId?: string };

/** What to give back if the accepted submission could not be stored after all. */
export interface Reservation {
  readonly mailboxId: string;
  readonly tenantId: string;
  readonly weight: number;
  readonly at: Date;
}

/** Figures of one subject (mailbox or tenant) over the three windows. */
interface Usage {
  acceptedMinute: number;
  attemptsMinute: number;
  acceptedHour: number;
  acceptedDay: number;
}

const WINDOWS: readonly { window: RateWindow; used: keyof Usage; limit: keyof SendLimits }[] = [
  { window: 'minute', used: 'acceptedMinute', limit: 'perMinute' },
  { window: 'hour', used: 'acceptedHour', limit: 'perHour' },
  { window: 'day', used: 'acceptedDay', limit: 'perDay' },
];

/**
 * Send-rate limits and burst detection for submission, counted in Postgres so that every engine
 * process shares them. Each submission that reaches the end of DATA is decided in one
 * transaction: advisory locks on the mailbox and its tenant (always in that order) serialise the
 * decisions for one sender, so check-and-count is atomic; the counts are sliding windows summed
 * from buckets (per second for the minute, per minute for the hour, per hour for the day).
 *
 * A submission within every limit is counted as accepted; one over a limit is refused (450 4.7.0)
 * but still counted as an attempt, because a burst is measured in attempts: once they pass
 * `burstFactor` times the per-minute rate within a minute, the mailbox's outbound mail is blocked
 * (status, abuse event, audit entry and a platform event, in the same transaction).
 */
export class SendGuard {
  private calls = 0;
  /** The background pruning in progress, if any (not awaited by decide()). */
  private pruning?: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: SendGuardOptions,
  ) {}

  /** The mailbox's limits (its provider overrides, else its plan's) and its tenant's. */
  async limits(c: pg.ClientBase, mailboxId: string): Promise<{ mailbox: SendLimits; tenant: SendLimits; blocked: boolean } | undefined> {
    const { rows } = await c.query<{ pm: number; ph: number; pd: number; tm: number; th: number; td: number; blocked: boolean }>(
      `SELECT COALESCE(m.send_per_minute, p.send_per_minute) AS pm, COALESCE(m.send_per_hour, p.send_per_hour) AS ph,
              COALESCE(m.send_per_day, p.send_per_day) AS pd,
              p.send_per_minute::bigint * $2 AS tm, p.send_per_hour::bigint * $2 AS th, p.send_per_day::bigint * $2 AS td,
              m.outbound_blocked_at IS NOT NULL AS blocked
         FROM mailboxes m JOIN tenants t ON t.id = m.tenant_id JOIN plans p ON p.id = t.plan_id WHERE m.id = $1`,
      [mailboxId, this.opts.tenantFactor],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      mailbox: { perMinute: r.pm, perHour: r.ph, perDay: r.pd },
      tenant: { perMinute: Number(r.tm), perHour: Number(r.th), perDay: Number(r.td) },
      blocked: r.blocked,
    };
  }

  /** Resolves once background work (pruning) has finished: call before closing the pool. */
  async settled(): Promise<void> {
    await this.pruning;
  }

  async decide(req: SendRequest): Promise<SendDecision> {
    if (++this.calls % 500 === 1 && !this.pruning) {
      this.pruning = this.prune()
        .catch((err: unknown) => this.opts.logger.warn('pruning send-rate buckets failed', { err }))
        .finally(() => (this.pruning = undefined));
    }
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT pg_advisory_xact_lock(hashtextextended('darwin.send.mailbox:' || $1, 0))`, [req.mailboxId]);
      await c.query(`SELECT pg_advisory_xact_lock(hashtextextended('darwin.send.tenant:' || $1, 0))`, [req.tenantId]);
      const limits = await this.limits(c, req.mailboxId);
      if (!limits || limits.blocked) {
        await c.query('COMMIT');
        return { verdict: 'blocked' };
      }
      const usage = await this.usage(c, req);
      const at = (await c.query<{ now: Date }>('SELECT now()')).rows[0]!.now;

      let over: { scope: 'mailbox' | 'tenant'; window: RateWindow; limit: number } | undefined;
      for (const scope of ['mailbox', 'tenant'] as const) {
        for (const w of WINDOWS) {
          const limit = limits[scope][w.limit];
          if (!over && usage[scope][w.used] + req.weight > limit) over = { scope, window: w.window, limit };
        }
      }
      await this.count(c, req, at, over ? 0 : req.weight);

      const attempts = usage.mailbox.attemptsMinute + req.weight;
      const threshold = this.opts.burstFactor * limits.mailbox.perMinute;
      // A per-minute rate of 0 means the plan does not send at all: refused, never a burst.
      if (threshold > 0 && attempts > threshold) {
        const eventId = await this.block(c, req, {
          attemptsLastMinute: attempts,
          acceptedLastMinute: usage.mailbox.acceptedMinute,
          acceptedLastHour: usage.mailbox.acceptedHour,
          acceptedLastDay: usage.mailbox.acceptedDay,
          limits: limits.mailbox,
          tenantLimits: limits.tenant,
          burstFactor: this.opts.burstFactor,
          threshold,
        });
        await c.query('COMMIT');
        return { verdict: 'blocked', eventId };
      }
      await c.query('COMMIT');
      if (over) return { verdict: 'rate_limited', ...over };
      return { verdict: 'accept', reservation: { mailboxId: req.mailboxId, tenantId: req.tenantId, weight: req.weight, at } };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  }

  /** Gives back an accepted count when the message could not be stored after all (attempts stay). */
  async release(r: Reservation): Promise<void> {
    await this.pool.query(
      `UPDATE send_rate_buckets SET accepted = GREATEST(accepted - $3, 0)
        WHERE ((scope = 'mailbox' AND subject_id = $1) OR (scope = 'tenant' AND subject_id = $2))
          AND ((span = 'second' AND bucket = date_trunc('second', $4::timestamptz))
            OR (span = 'minute' AND bucket = date_trunc('minute', $4::timestamptz))
            OR (span = 'hour' AND bucket = date_trunc('hour', $4::timestamptz)))`,
      [r.mailboxId, r.tenantId, r.weight, r.at],
    );
  }

  /** Drops buckets no window looks at any more. */
  async prune(): Promise<void> {
    await this.pool.query(
      `DELETE FROM send_rate_buckets
        WHERE (span = 'second' AND bucket < now() - interval '5 minutes')
           OR (span = 'minute' AND bucket < now() - interval '3 hours')
           OR (span = 'hour' AND bucket < now() - interval '3 days')`,
    );
  }

  private async usage(c: pg.ClientBase, req: SendRequest): Promise<Record<'mailbox' | 'tenant', Usage>> {
    const { rows } = await c.query<{ scope: 'mailbox' | 'tenant'; am: string; tm: string; ah: string; ad: string }>(
      `SELECT scope,
              COALESCE(SUM(accepted) FILTER (WHERE span = 'second' AND bucket > now() - interval '60 seconds'), 0) AS am,
              COALESCE(SUM(attempts) FILTER (WHERE span = 'second' AND bucket > now() - interval '60 seconds'), 0) AS tm,
              COALESCE(SUM(accepted) FILTER (WHERE span = 'minute' AND bucket > now() - interval '60 minutes'), 0) AS ah,
              COALESCE(SUM(accepted) FILTER (WHERE span = 'hour' AND bucket > now() - interval '24 hours'), 0) AS ad
         FROM send_rate_buckets
        WHERE ((scope = 'mailbox' AND subject_id = $1) OR (scope = 'tenant' AND subject_id = $2)) AND bucket > now() - interval '24 hours'
        GROUP BY scope`,
      [req.mailboxId, req.tenantId],
    );
    const zero = (): Usage => ({ acceptedMinute: 0, attemptsMinute: 0, acceptedHour: 0, acceptedDay: 0 });
    const out = { mailbox: zero(), tenant: zero() };
    for (const r of rows) out[r.scope] = { acceptedMinute: Number(r.am), attemptsMinute: Number(r.tm), acceptedHour: Number(r.ah), acceptedDay: Number(r.ad) };
    return out;
  }

  private async count(c: pg.ClientBase, req: SendRequest, at: Date, accepted: number): Promise<void> {
    await c.query(
      `INSERT INTO send_rate_buckets (scope, subject_id, span, bucket, attempts, accepted)
       SELECT s.scope, s.subject, sp.span, date_trunc(sp.span, $3::timestamptz), $4, $5
         FROM (VALUES ('mailbox', $1::uuid), ('tenant', $2::uuid)) AS s(scope, subject)
        CROSS JOIN (VALUES ('second'), ('minute'), ('hour')) AS sp(span)
       ON CONFLICT (scope, subject_id, span, bucket) DO UPDATE
         SET attempts = send_rate_buckets.attempts + EXCLUDED.attempts, accepted = send_rate_buckets.accepted + EXCLUDED.accepted`,
      [req.mailboxId, req.tenantId, at, req.weight, accepted],
    );
  }

  /**
   * Blocks the mailbox's outbound mail: status, abuse event with the figures, audit entry and a
   * `mailbox.blocked` platform event, all in the caller's transaction. Returns the event id, or
   * undefined when another decision blocked it first.
   */
  private async block(c: pg.PoolClient, req: SendRequest, figures: Record<string, unknown>): Promise<string | undefined> {
    const reason = `Automatic block: ${figures.attemptsLastMinute as number} recipients attempted within a minute, more than ${this.opts.burstFactor} times the limit of ${(figures.limits as SendLimits).perMinute} per minute`;
    const mb = await c.query<{ tenant_id: string; address: string }>(
      `UPDATE mailboxes SET outbound_blocked_at = now(), outbound_blocked_reason = $2, updated_at = now()
        WHERE id = $1 AND outbound_blocked_at IS NULL RETURNING tenant_id, address`,
      [req.mailboxId, reason],
    );
    const row = mb.rows[0];
    if (!row) return undefined;
    const ip = req.ip && /^[0-9a-f.:]+$/i.test(req.ip) ? req.ip.replace(/^::ffff:/, '') : null;
    const ev = await c.query<{ id: string }>(
      `INSERT INTO abuse_events (tenant_id, mailbox_id, kind, details, ip) VALUES ($1, $2, 'send_burst', $3::jsonb, $4::inet) RETURNING id`,
      [row.tenant_id, req.mailboxId, JSON.stringify({ ...figures, reason }), ip],
    );
    const eventId = ev.rows[0]!.id;
    await c.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_label, tenant_id, action, target_type, target_id, before, after, ip)
       VALUES ('system', NULL, 'burst detector', $1, 'mailbox.outbound_block', 'mailbox', $2, $3::jsonb, $4::jsonb, $5::inet)`,
      [
        row.tenant_id,
        req.mailboxId,
        JSON.stringify({ outboundBlockedAt: null }),
        JSON.stringify({ outboundBlockedAt: new Date().toISOString(), outboundBlockedReason: reason, abuseEventId: eventId }),
        ip,
      ],
    );
    await emitEvent(c, { type: 'mailbox.blocked', tenantId: row.tenant_id, mailboxId: req.mailboxId, eventId });
    this.opts.logger.warn('mailbox outbound mail blocked after a burst', { mailboxId: req.mailboxId, address: row.address, eventId, ...figures });
    return eventId;
  }
}
