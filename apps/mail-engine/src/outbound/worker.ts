import { randomBytes } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { Readable } from 'node:stream';
import type { Config } from '@darwin/config';
import type { Logger } from '@darwin/logger';
import { QueueWakeups, type DeferItem, type FailItem, type MailStore, type PgOutboundQueue, type QueuedDelivery } from '@darwin/mail-store';
import { DnsClient } from '@darwin/core';
import { dsnParams, sendNotice, wantsNotice, type Notice } from './bounces.js';
import { DkimSigner } from './dkim.js';
import { nextStep } from './retry-schedule.js';
import { fetchPolicyText, lookupVia, MtaStsResolver } from './mta-sts.js';
import { Router } from './routing.js';
import { sendViaHops, type RecipientOutcome, type SmtpClientOptions } from './smtp-client.js';

/** Most recipients of one message sent to one domain in one SMTP transaction (RFC 5321 4.5.3.1.8: servers take at least 100). */
const MAX_RECIPIENTS = 50;
/**
 * A destination at its concurrency limit: its rows go back, due again after this long, and this
 * process does not claim its domain meanwhile (unless one of its own deliveries there ends first).
 */
const BUSY_RETRY_MS = 500;

export type OutboundConfig = Pick<
  Config,
  | 'hostname'
  | 'transportMap'
  | 'smarthost'
  | 'smarthostUser'
  | 'smarthostPassword'
  | 'retrySchedule'
  | 'queueLifetime'
  | 'queueWorkers'
  | 'destinationConcurrency'
  | 'queueLease'
  | 'queuePollInterval'
  | 'outboundConnectTimeout'
  | 'outboundTimeout'
  | 'outboundTlsVerify'
  | 'outboundMtaSts'
  | 'dnsServers'
  | 'dnsTimeout'
>;

export interface OutboundWorkersDeps {
  readonly config: OutboundConfig;
  readonly store: MailStore;
  readonly queue: PgOutboundQueue;
  readonly logger: Logger;
  /** For the LISTEN connection that wakes idle workers when mail is queued; without it they only poll. */
  readonly databaseUrl?: string;
  /** Default: from the configuration (DNS servers and timeout, transport map, smarthost). */
  readonly router?: Router;
  /** Default: host:pid:random; lanes append /<n>. Stored in outbound_queue.leased_by. */
  readonly id?: string;
  /** Test hook: called with each SMTP session's host and TLS state. */
  readonly onSession?: SmtpClientOptions['onSession'];
  /** Test hook: trust anchors for verified TLS instead of the system's. */
  readonly tlsCa?: string;
}

/** Routing from the configuration: transport map, smarthost, else DNS with MTA-STS policies. */
function defaultRouter(config: OutboundConfig): Router {
  const dns = DnsClient.fromConfig(config);
  return new Router({
    resolver: dns,
    transportMap: config.transportMap,
    smarthost: config.smarthost,
    smarthostAuth: config.smarthostUser !== undefined && config.smarthostPassword !== undefined ? { user: config.smarthostUser, pass: config.smarthostPassword } : undefined,
    mtaSts: config.outboundMtaSts
      ? new MtaStsResolver({
          txt: (name) => dns.txt(name),
          fetch: (domain) => fetchPolicyText(domain, { timeoutMs: config.outboundConnectTimeout, lookup: lookupVia((name) => dns.a(name)) }),
        })
      : undefined,
  });
}

/**
 * The outbound delivery workers of one engine process: DARWIN_QUEUE_WORKERS lanes, each claiming
 * the due recipients of one message at one domain (FOR UPDATE SKIP LOCKED, with a lease renewed
 * while delivering), routing them (transport map, smarthost or MX), DKIM-signing and sending them,
 * and recording each recipient's outcome: sent, deferred on the retry schedule, or bounced with one
 * DSN to the sender. Any number of processes may run workers on one database.
 */
export class OutboundWorkers {
  readonly id: string;
  private readonly router: Router;
  private readonly signer: DkimSigner;
  private readonly abort = new AbortController();
  private readonly busyDomains = new Map<string, number>();
  private waiters = new Set<() => void>();
  private lanes: Promise<void>[] = [];
  private wakeups?: QueueWakeups;
  private stopping = false;
  private lastRecovery = 0;

  constructor(private readonly deps: OutboundWorkersDeps) {
    const { config } = deps;
    this.id = deps.id ?? `${osHostname().slice(0, 60)}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.router = deps.router ?? defaultRouter(config);
    this.signer = new DkimSigner((domain, tenantId) => deps.queue.signingKey(domain, tenantId), deps.logger);
  }

  async start(): Promise<void> {
    if (this.deps.databaseUrl) {
      this.wakeups = new QueueWakeups(this.deps.databaseUrl, () => this.wake(), this.deps.logger);
      await this.wakeups.start();
    }
    for (let i = 0; i < this.deps.config.queueWorkers; i++) this.lanes.push(this.lane(`${this.id}/${i}`));
    this.deps.logger.info('outbound workers started', { workers: this.deps.config.queueWorkers, id: this.id });
  }

  /** Lets idle lanes look for due mail now. */
  wake(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const w of waiting) w();
  }

  /**
   * Stops claiming; deliveries in progress may finish within `graceMs`, after which their
   * connections are closed and their rows given back (due at once, for any process).
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake();
    const timer = setTimeout(() => this.abort.abort(), graceMs);
    await Promise.all(this.lanes);
    clearTimeout(timer);
    await this.wakeups?.close();
  }

  private idle(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private async lane(laneId: string): Promise<void> {
    const { config, queue, logger } = this.deps;
    while (!this.stopping) {
      let batch: QueuedDelivery[] = [];
      try {
        await this.recoverLeases();
        batch = await queue.claim({ workerId: laneId, leaseMs: config.queueLease, maxRecipients: MAX_RECIPIENTS, skipDomains: this.busy() });
        if (batch.length === 0) {
          await this.idle(config.queuePollInterval);
          continue;
        }
        await this.process(batch, laneId);
      } catch (err) {
        logger.error('outbound worker error', { lane: laneId, err, queueIds: batch.map((r) => r.id) });
        // Give the rows back after a pause; if even that fails their lease runs out.
        await queue.release(batch.map((r) => r.id), laneId, new Date(Date.now() + config.queuePollInterval)).catch(() => {});
        await this.idle(config.queuePollInterval);
      }
    }
  }

  /** Rows of crashed workers (any process) come back; done by one lane at a time, once per poll interval. */
  private async recoverLeases(): Promise<void> {
    const now = Date.now();
    if (now - this.lastRecovery < this.deps.config.queuePollInterval) return;
    this.lastRecovery = now;
    const n = await this.deps.queue.recoverExpiredLeases();
    if (n > 0) this.deps.logger.warn('outbound rows recovered from expired leases', { rows: n });
  }

  private busy(): string[] {
    const now = Date.now();
    for (const [d, until] of this.busyDomains) if (until <= now) this.busyDomains.delete(d);
    return [...this.busyDomains.keys()];
  }

  private async process(batch: QueuedDelivery[], laneId: string): Promise<void> {
    const { config, queue, logger } = this.deps;
    const ids = batch.map((r) => r.id);
    const domain = batch[0]!.rcptDomain;
    const destination = this.router.destinationOf(domain);
    const slot = await queue.acquireSlot(destination, laneId, config.destinationConcurrency, config.queueLease);
    if (!slot) {
      const retryAt = new Date(Date.now() + BUSY_RETRY_MS);
      this.busyDomains.set(domain, retryAt.getTime());
      await queue.release(ids, laneId, retryAt);
      logger.debug('destination busy, rows given back', { destination, queueIds: ids });
      return;
    }
    const renewal = setInterval(() => {
      void Promise.all([queue.renew(ids, laneId, config.queueLease), queue.renewSlot(slot, config.queueLease)]).catch((err: unknown) =>
        logger.warn('lease renewal failed', { lane: laneId, err }),
      );
    }, Math.max(config.queueLease / 3, 50));
    try {
      const outcomes = await this.attempt(batch);
      if (this.abort.signal.aborted) {
        await queue.release(ids, laneId, new Date());
        return;
      }
      await this.record(batch, outcomes, laneId);
    } finally {
      clearInterval(renewal);
      await queue.releaseSlot(slot).catch((err: unknown) => logger.warn('could not free a destination slot (its lease will)', { err }));
      if (this.busyDomains.delete(domain)) this.wake();
    }
  }

  private async attempt(batch: readonly QueuedDelivery[]): Promise<Map<string, RecipientOutcome>> {
    const { config, store, logger } = this.deps;
    const row = batch[0]!;
    const recipients = [...new Set(batch.map((r) => r.rcptTo))];
    const route = await this.router.route(row.rcptDomain);
    if (route.kind === 'fail') {
      const outcome: RecipientOutcome = { kind: route.permanent ? 'perm' : 'temp', status: route.status, diagnostic: route.message };
      return new Map(recipients.map((r) => [r, outcome]));
    }
    const signature = await this.signer.sign(row.mailFrom, row.tenantId, () => store.openBlob(row.blobId));
    const prefix = signature ? Buffer.from(signature, 'latin1') : undefined;
    return sendViaHops(
      route.hops,
      { from: row.mailFrom, recipients, size: row.size + (prefix?.length ?? 0), open: () => messageStream(prefix, store.openBlob(row.blobId)) },
      {
        name: config.hostname,
        connectTimeoutMs: config.outboundConnectTimeout,
        socketTimeoutMs: config.outboundTimeout,
        tlsVerify: config.outboundTlsVerify,
        tlsCa: this.deps.tlsCa,
        logger,
        signal: this.abort.signal,
        onSession: this.deps.onSession,
      },
    );
  }

  /** Notices first (they read the message), then each row's new state; see the class comment. */
  private async record(batch: readonly QueuedDelivery[], outcomes: Map<string, RecipientOutcome>, laneId: string): Promise<void> {
    const { config, queue, store, logger } = this.deps;
    const now = new Date();
    const sent: string[] = [];
    const deferred: DeferItem[] = [];
    const bounced: FailItem[] = [];
    const notices: Notice[] = [];
    for (const row of batch) {
      const o = outcomes.get(row.rcptTo) ?? { kind: 'temp', status: '4.0.0', diagnostic: 'no outcome for this recipient' };
      const params = dsnParams(row.dsn);
      const notice = (action: 'failed' | 'relayed', status: string, diagnostic: string) => {
        if (wantsNotice(params, action)) {
          notices.push({ row, recipient: { finalRecipient: row.rcptTo, originalRecipient: params.orcpt, action, status, diagnostic, remoteMta: o.remoteMta, lastAttemptDate: now } });
        }
      };
      const error = o.remoteMta && !o.diagnostic.includes(o.remoteMta) ? `${o.remoteMta} said: ${o.diagnostic}` : o.diagnostic;
      if (o.kind === 'sent') {
        sent.push(row.id);
        notice('relayed', o.status, o.diagnostic);
      } else if (o.kind === 'perm') {
        bounced.push({ id: row.id, error });
        notice('failed', o.status, o.diagnostic);
      } else {
        // The row's expires_at is set by whoever queued it (default 5 days); a shorter configured
        // lifetime applies as well.
        const expiresAt = new Date(Math.min(row.expiresAt.getTime(), row.createdAt.getTime() + config.queueLifetime));
        const step = nextStep({ schedule: config.retrySchedule }, row.attempts + 1, expiresAt, now);
        if (step.kind === 'retry') {
          deferred.push({ id: row.id, error, nextAttemptAt: step.at });
        } else {
          const days = Math.round(((expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000) * 10) / 10;
          const gaveUp = `${o.diagnostic} (gave up after ${days} days of retrying)`;
          bounced.push({ id: row.id, error: `${error} (gave up: message expired)` });
          notice('failed', o.status.startsWith('4.') && o.status !== '4.0.0' ? o.status : '4.4.7', gaveUp);
        }
      }
    }

    if (notices.length > 0) {
      try {
        const how = await sendNotice({ store, hostname: config.hostname, logger, queueLifetimeMs: config.queueLifetime }, notices);
        logger.info('delivery status notification sent', { to: batch[0]!.mailFrom, how, recipients: notices.map((n) => `${n.recipient.action}:${n.row.rcptTo}`) });
      } catch (err) {
        // Keep the failed recipients (a later attempt bounces them again) rather than lose the notice.
        logger.error('could not store a delivery status notification; keeping the rows', { err, queueIds: bounced.map((b) => b.id) });
        const retry = new Date(now.getTime() + config.retrySchedule[0]!);
        deferred.push(...bounced.splice(0).map((b) => ({ id: b.id, error: `${b.error} (bounce not yet stored)`, nextAttemptAt: retry })));
      }
    }
    await queue.markSent(sent);
    await queue.defer(deferred, laneId);
    await queue.markBounced(bounced, laneId);
    for (const row of batch) {
      const o = outcomes.get(row.rcptTo);
      logger.info('outbound delivery attempt', {
        queueId: row.id,
        to: row.rcptTo,
        result: sent.includes(row.id) ? 'sent' : bounced.some((b) => b.id === row.id) ? 'bounced' : 'deferred',
        status: o?.status,
        diagnostic: o?.diagnostic,
        attempt: row.attempts + 1,
      });
    }
  }
}

/** The DKIM signature(s), then the stored message, pulled chunk by chunk as the socket drains. */
function messageStream(prefix: Buffer | undefined, blob: Readable): Readable {
  async function* bytes(): AsyncGenerator<Buffer> {
    if (prefix) yield prefix;
    for await (const chunk of blob) yield chunk as Buffer;
  }
  return Readable.from(bytes(), { objectMode: false });
}
