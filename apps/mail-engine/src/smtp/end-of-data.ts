import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { RecipientResolution, RecipientRoute } from '@darwin/core';
import type { Logger } from '@darwin/logger';
import { parseHeaderBlock, type AcceptResult, type DeliveryOutcome, type OutboundRequest, type SpooledMessage } from '@darwin/mail-store';
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import type { Reservation } from '../abuse/send-guard.js';
import type { EngineContext } from '../engine-context.js';
import { buildDsn, type DsnRecipient } from '../outbound/dsn.js';
import type { SenderAccount, SmtpMailbox } from './directory.js';
import { sendGenerated } from './generated-mail.js';
import { countReceived, receiveMessage, rewriteMessage } from './message.js';
import { receivedHeader, rfc5322Date } from './received-header.js';
import { dmarcRejects, verifySender } from './sender-auth.js';
import type { SmtpServices } from './services.js';
import { REPLIES, SmtpError } from './smtp-error.js';
import { CONTINUE, reject, runStage, type Check } from './stages.js';
import { autoReplyBlocker, buildVacationReply, vacationActive } from './vacation.js';

export type AcceptedResolution = Extract<RecipientResolution, { kind: 'accepted' }>;
export type RemoteResolution = Extract<RecipientResolution, { kind: 'remote' }>;

/** One accepted RCPT and what it resolved to. */
export interface RcptEntry {
  readonly rcpt: SMTPServerAddress;
  readonly resolution: AcceptedResolution | RemoteResolution;
}

export interface EndOfDataContext {
  readonly mode: 'mx' | 'submission';
  readonly engine: EngineContext;
  readonly services: SmtpServices;
  readonly logger: Logger;
  readonly session: SMTPServerSession;
  readonly recipients: readonly RcptEntry[];
  /** The authenticated sender (submission only). */
  readonly sender?: SenderAccount;
  readonly queueId: string;
}

interface DataState {
  readonly raw: SpooledMessage;
  readonly bareLf: number;
  readonly sizeExceeded: boolean;
  authHeaders?: string;
  authSummary?: string;
  reservation?: Reservation;
}

interface LocalTarget {
  readonly mailbox: SmtpMailbox;
  readonly route: RecipientRoute;
  readonly rcpts: RcptEntry[];
}

interface OutboundEntry {
  readonly tenantId: string;
  readonly mailboxId: string | null;
  readonly countAsSent: boolean;
  readonly address: string;
  readonly dsn?: Record<string, unknown>;
}

interface Failure {
  readonly target: LocalTarget;
  readonly status: string;
  readonly diagnostic: string;
}

/**
 * End of DATA (or of the last BDAT chunk), for the MX and for submission: spool the message, run
 * the data checks (size, bare LF, loop, sender verification on the MX, send rates on submission),
 * store every local copy and queue every remote one, then answer. Returns the 250 text only after
 * COMMIT; throws the SmtpError to answer otherwise. Nothing is stored unless the checks passed,
 * and a client that goes away before the end leaves nothing behind (the spool is discarded).
 */
export async function endOfData(stream: Readable & { sizeExceeded?: boolean }, d: EndOfDataContext): Promise<string> {
  const cfg = d.engine.config;
  const received = await receiveMessage(stream, { maxBytes: cfg.maxMessageBytes, bareLf: cfg.smtpBareLf });
  const state: DataState = { raw: received.message, bareLf: received.bareLf, sizeExceeded: !!stream.sizeExceeded };
  let message: SpooledMessage | undefined;
  try {
    const stageOpts = { timeoutMs: cfg.smtpCheckTimeout, logger: d.logger };
    const verdict = await runStage('data', dataChecks(d), state, stageOpts);
    if (verdict.action === 'reject') throw verdict.error;

    message = await rewriteMessage(state.raw, Buffer.from(traceHeaders(d, state)), ownAuthResults(cfg.hostname));
    const plan = planDelivery(d, message.size);
    let outcome: { result: AcceptResult; failures: Failure[] };
    try {
      outcome = await commit(d, message, plan);
    } catch (err) {
      if (state.reservation) await d.services.guard.release(state.reservation).catch(() => {});
      throw err;
    }
    const stored = outcome.result.local.filter((o) => o.status === 'stored').length;
    const queued = outcome.result.queued.length;
    d.logger.info('message accepted', {
      mode: d.mode,
      from: mailFrom(d.session),
      size: message.size,
      stored,
      queued,
      failed: outcome.failures.length || undefined,
      auth: state.authSummary,
    });
    await afterCommit(d, state.raw, outcome.failures, plan).catch((err: unknown) => d.logger.error('post-delivery work failed', { err }));
    const local = `stored ${message.size} bytes for ${stored} recipient${stored === 1 ? '' : 's'}`;
    return `2.0.0 Ok: ${stored > 0 || queued === 0 ? local : `${message.size} bytes`}${queued > 0 ? `, ${queued} queued for delivery` : ''}`;
  } catch (err) {
    if (err instanceof SmtpError) throw err;
    d.logger.error('delivery failed', { err });
    throw REPLIES.tempFailure();
  } finally {
    await state.raw.dispose();
  }
}

function mailFrom(session: SMTPServerSession): string {
  return session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
}

/** The checks of the data stage, in order. */
function dataChecks(d: EndOfDataContext): Check<DataState>[] {
  const cfg = d.engine.config;
  const checks: Check<DataState>[] = [
    {
      name: 'size',
      run: async (s) => {
        // smtp-server answers 552 itself when its SIZE limit was passed; this covers the spool's cap.
        if (s.raw.oversize || s.sizeExceeded) return reject(REPLIES.tooBig(cfg.maxMessageBytes));
        if (d.sender && s.raw.size > d.sender.maxMessageBytes) return reject(REPLIES.tooBig(d.sender.maxMessageBytes));
        return CONTINUE;
      },
    },
    { name: 'bare-lf', run: async (s) => (cfg.smtpBareLf === 'reject' && s.bareLf > 0 ? reject(REPLIES.bareLf()) : CONTINUE) },
    {
      name: 'loop',
      run: async (s) => {
        const hops = countReceived(s.raw) + 1;
        return hops > cfg.smtpMaxReceivedHeaders ? reject(REPLIES.loop(hops)) : CONTINUE;
      },
    },
  ];
  if (d.mode === 'mx' && cfg.smtpVerifySenders) {
    checks.push({
      name: 'sender-auth',
      // verifySender has its own limit and then says temperror; this one only guards against a hang.
      timeoutMs: cfg.smtpCheckTimeout + 5_000,
      onTimeout: CONTINUE,
      run: async (s) => {
        const r = await verifySender(
          s.raw,
          { ip: d.session.remoteAddress, helo: d.session.hostNameAppearsAs || '', sender: mailFrom(d.session) },
          { hostname: cfg.hostname, resolver: d.services.resolver, timeoutMs: cfg.smtpCheckTimeout, cache: d.services.authCache },
        );
        s.authHeaders = r.headers;
        s.authSummary = r.summary;
        if (cfg.smtpDmarcReject && dmarcRejects(r.dmarc)) return reject(REPLIES.dmarcReject(r.dmarc!.domain));
        return CONTINUE;
      },
    });
  }
  if (d.mode === 'submission' && d.sender) {
    const sender = d.sender;
    checks.push({
      name: 'send-rate',
      run: async (s) => {
        const decision = await d.services.guard.decide({ mailboxId: sender.id, tenantId: sender.tenantId, weight: d.recipients.length, ip: d.session.remoteAddress });
        if (decision.verdict === 'blocked') return reject(REPLIES.outboundBlocked());
        if (decision.verdict === 'rate_limited') return reject(REPLIES.rateLimited(decision.limit, decision.window));
        s.reservation = decision.reservation;
        return CONTINUE;
      },
    });
  }
  return checks;
}

/**
 * Our header fields, on top: this hop's Received (RFC 5321 4.4: trace information first), then
 * the verification results (Received-SPF, Authentication-Results) right below it, the order big
 * receivers use; submission adds a missing Message-ID/Date.
 */
function traceHeaders(d: EndOfDataContext, s: DataState): string {
  const cfg = d.engine.config;
  const only = d.recipients.length === 1 ? d.recipients[0]!.resolution.address : undefined;
  let out = receivedHeader({
    helo: d.session.hostNameAppearsAs || '',
    remoteAddress: d.session.remoteAddress,
    hostname: cfg.hostname,
    protocol: `${d.session.openingCommand === 'HELO' ? 'SMTP' : 'ESMTP'}${d.session.secure ? 'S' : ''}${d.session.user ? 'A' : ''}`,
    id: d.queueId,
    recipient: only,
    date: new Date(),
  });
  out += s.authHeaders ?? '';
  if (d.mode === 'submission') {
    // RFC 6409 8.2/8.3: a submission server may add what the client left out.
    const names = new Set(parseHeaderBlock(s.raw.headerBytes).map((h) => h.name));
    if (!names.has('date')) out += `Date: ${rfc5322Date(new Date())}\r\n`;
    if (!names.has('message-id')) out += `Message-ID: <${Date.now().toString(36)}.${randomBytes(8).toString('hex')}@${cfg.hostname}>\r\n`;
  }
  return out;
}

/** Authentication-Results fields claiming our name come from someone else: drop them (RFC 8601 5). */
function ownAuthResults(hostname: string): (name: string, value: string) => boolean {
  const h = hostname.toLowerCase();
  return (name, value) => {
    if (name !== 'authentication-results') return false;
    const id = value.trim().toLowerCase();
    return id === h || id.startsWith(`${h};`) || id.startsWith(`${h} `);
  };
}

interface DeliveryPlan {
  readonly targets: LocalTarget[];
  readonly tooBig: Failure[];
  readonly outbound: OutboundRequest[];
}

function rcptDsn(rcpt: SMTPServerAddress): { notify?: string[]; orcpt?: string } {
  const out: { notify?: string[]; orcpt?: string } = {};
  if (rcpt.dsn?.notify) out.notify = rcpt.dsn.notify.map((n) => n.toUpperCase());
  if (rcpt.dsn?.orcpt) out.orcpt = rcpt.dsn.orcpt;
  return out;
}

/** Which mailboxes get a copy and which addresses are queued, grouped as the queue rows need them. */
function planDelivery(d: EndOfDataContext, size: number): DeliveryPlan {
  const locals = new Map<string, LocalTarget>();
  const entries: OutboundEntry[] = [];
  for (const e of d.recipients) {
    const dsn = rcptDsn(e.rcpt);
    if (e.resolution.kind === 'remote') {
      const s = d.sender!;
      entries.push({ tenantId: s.tenantId, mailboxId: s.id, countAsSent: true, address: e.resolution.address, dsn });
      continue;
    }
    const r = e.resolution;
    for (const del of r.deliveries) {
      const t = locals.get(del.mailbox.id) ?? { mailbox: del.mailbox as SmtpMailbox, route: del.route, rcpts: [] };
      t.rcpts.push(e);
      locals.set(del.mailbox.id, t);
    }
    // RFC 3461 6.2.1: NOTIFY goes with a forward to a single address; an expansion keeps ORCPT only.
    const single = r.deliveries.length === 0 && r.forwards.length === 1;
    for (const f of r.forwards) {
      const orcpt = dsn.orcpt ?? `rfc822;${e.rcpt.address}`;
      entries.push({ tenantId: f.tenantId, mailboxId: f.mailboxId, countAsSent: false, address: f.address, dsn: single ? { ...dsn, orcpt } : { orcpt } });
    }
  }
  const targets: LocalTarget[] = [];
  const tooBig: Failure[] = [];
  for (const t of locals.values()) {
    if (size > t.mailbox.maxMessageBytes) tooBig.push({ target: t, status: '5.3.4', diagnostic: `Message too large for this recipient (limit ${t.mailbox.maxMessageBytes} bytes)` });
    else targets.push(t);
  }
  const envDsn = d.session.envelope.dsn;
  // The queue lifetime counts from acceptance (the outbound README: the MX and submission set it).
  const expiresAt = new Date(Date.now() + d.engine.config.queueLifetime);
  const messageDsn: Record<string, unknown> = {};
  if (envDsn?.ret) messageDsn.ret = envDsn.ret;
  if (envDsn?.envid) messageDsn.envid = envDsn.envid;
  const groups = new Map<string, { req: Omit<OutboundRequest, 'recipients'>; recipients: Map<string, OutboundRequest['recipients'][number]> }>();
  for (const e of entries) {
    const key = `${e.tenantId}\0${e.mailboxId ?? ''}\0${e.countAsSent}`;
    let g = groups.get(key);
    if (!g) {
      g = { req: { tenantId: e.tenantId, mailboxId: e.mailboxId, mailFrom: mailFrom(d.session), dsn: messageDsn, expiresAt, countAsSent: e.countAsSent }, recipients: new Map() };
      groups.set(key, g);
    }
    if (!g.recipients.has(e.address)) g.recipients.set(e.address, e.dsn && Object.keys(e.dsn).length > 0 ? { address: e.address, dsn: e.dsn } : { address: e.address });
  }
  // The submission's own group first (its rows get the lowest ids); all groups go in one accept.
  const outbound = [...groups.values()].map((g) => ({ ...g.req, recipients: [...g.recipients.values()] })).sort((a, b) => Number(b.countAsSent) - Number(a.countAsSent));
  return { targets, tooBig, outbound };
}

/**
 * Stores the local copies and queues the remote ones in ONE `store.accept`, hence one
 * transaction and one blob: every outbound group (the submission's own, forwards of each
 * mailbox) goes in the same call, so a failure anywhere stores nothing and the client's retry
 * cannot duplicate a part that was already committed. A submission counts as one sent message
 * for its sender, also when every recipient is local (`countAsSentBy`; the store counts a
 * sender once however many groups name it).
 */
async function commit(d: EndOfDataContext, message: SpooledMessage, plan: DeliveryPlan): Promise<{ result: AcceptResult; failures: Failure[] }> {
  if (plan.targets.length === 0 && plan.outbound.length === 0) {
    const limits = plan.tooBig.map((f) => f.target.mailbox.maxMessageBytes);
    throw REPLIES.tooBig(Math.min(...limits));
  }
  const sentBy = d.mode === 'submission' && d.sender ? { countAsSentBy: { mailboxId: d.sender.id, tenantId: d.sender.tenantId } } : {};
  const result = await d.engine.store.accept(
    message,
    { targets: plan.targets.map((t) => ({ mailboxId: t.mailbox.id })), outbound: plan.outbound },
    { countAsReceived: true, ...sentBy },
  );
  const queued = result.queued;
  const failures: Failure[] = [...plan.tooBig];
  result.local.forEach((o: DeliveryOutcome, i) => {
    if (o.status === 'stored') return;
    const target = plan.targets[i]!;
    if (o.status === 'over_quota') failures.push({ target, status: '5.2.2', diagnostic: 'Mailbox full: the message would exceed the quota' });
    else failures.push({ target, status: '5.1.1', diagnostic: 'Mailbox unavailable' });
  });
  const stored = result.local.filter((o) => o.status === 'stored').length;
  if (stored === 0 && queued.length === 0) {
    if (failures.every((f) => f.status === '5.2.2')) throw REPLIES.mailboxFull();
    if (failures.every((f) => f.status === '5.3.4')) throw REPLIES.tooBig(Math.min(...failures.map((f) => f.target.mailbox.maxMessageBytes)));
    throw REPLIES.tempFailure();
  }
  return { result: { local: result.local, queued }, failures };
}

/** After COMMIT: DSNs for the recipients that failed or asked for success reports, vacation replies. */
async function afterCommit(d: EndOfDataContext, raw: SpooledMessage, failures: Failure[], plan: DeliveryPlan): Promise<void> {
  const sender = mailFrom(d.session);
  const failed = new Set(failures.map((f) => f.target.mailbox.id));
  if (sender) {
    const reports: DsnRecipient[] = [];
    let tenantId: string | undefined;
    for (const f of failures) {
      const e = f.target.rcpts[0]!;
      const notify = rcptDsn(e.rcpt).notify;
      if (notify && !notify.includes('FAILURE')) continue;
      tenantId ??= f.target.mailbox.tenantId;
      reports.push({ finalRecipient: f.target.mailbox.address, originalRecipient: rcptDsn(e.rcpt).orcpt ?? `rfc822;${e.rcpt.address}`, action: 'failed', status: f.status, diagnostic: f.diagnostic });
    }
    const successes: DsnRecipient[] = [];
    for (const e of d.recipients) {
      const dsn = rcptDsn(e.rcpt);
      if (!dsn.notify?.includes('SUCCESS') || e.resolution.kind !== 'accepted') continue;
      const r = e.resolution;
      const orcpt = dsn.orcpt ?? `rfc822;${e.rcpt.address}`;
      const direct = r.forwards.length === 0 && r.deliveries.length === 1 && (r.deliveries[0]!.route === 'mailbox' || r.deliveries[0]!.route === 'subaddress');
      if (direct && !failed.has(r.deliveries[0]!.mailbox.id)) {
        successes.push({ finalRecipient: r.deliveries[0]!.mailbox.address, originalRecipient: orcpt, action: 'delivered', status: '2.0.0' });
        tenantId ??= r.tenantId;
      } else if (!direct && (r.deliveries.length + r.forwards.length > 1 || r.deliveries.length === 1)) {
        successes.push({ finalRecipient: e.rcpt.address, originalRecipient: orcpt, action: 'expanded', status: '2.0.0', diagnostic: 'Delivered to the members of an alias or forwarding list' });
        tenantId ??= r.tenantId;
      }
    }
    for (const [recipients, ret] of [
      [reports, d.session.envelope.dsn?.ret === 'HDRS' ? 'HDRS' : 'FULL'],
      [successes, 'HDRS'],
    ] as const) {
      if (recipients.length === 0 || !tenantId) continue;
      const bytes = await buildDsn({
        reportingMta: d.engine.config.hostname,
        originalEnvelopeId: d.session.envelope.dsn?.envid ?? undefined,
        arrivalDate: new Date(),
        receivedFromMta: d.session.hostNameAppearsAs || undefined,
        recipients,
        original: raw.chunks(64 * 1024),
        ret,
        to: sender,
        from: `MAILER-DAEMON@${d.engine.config.hostname}`,
      });
      const where = await sendGenerated(d.engine.store, d.services.directory, { bytes, to: sender, tenantId, mailboxId: null, queueLifetimeMs: d.engine.config.queueLifetime });
      d.logger.info('delivery status notification sent', { to: sender, recipients: recipients.map((r) => `${r.finalRecipient}:${r.action}`), where });
    }
  }
  await vacationReplies(d, raw, plan.targets.filter((t) => !failed.has(t.mailbox.id)));
}

/** RFC 3834 vacation replies from the mailboxes that received the message directly. */
async function vacationReplies(d: EndOfDataContext, raw: SpooledMessage, targets: LocalTarget[]): Promise<void> {
  const sender = mailFrom(d.session).toLowerCase();
  const candidates = targets.filter((t) => t.mailbox.vacation && vacationActive(t.mailbox.vacation) && (t.route === 'mailbox' || t.route === 'subaddress'));
  if (candidates.length === 0) return;
  const headers = parseHeaderBlock(raw.headerBytes);
  for (const t of candidates) {
    const blocker = autoReplyBlocker(sender, t.mailbox.address, headers);
    if (blocker) {
      d.logger.debug('no vacation reply', { mailbox: t.mailbox.address, reason: blocker });
      continue;
    }
    // At most one reply per sender per interval: the row is written only if the last one is old enough.
    const { rowCount } = await d.services.pool.query(
      `INSERT INTO vacation_replies (mailbox_id, sender, last_sent_at) VALUES ($1, $2, now())
       ON CONFLICT (mailbox_id, sender) DO UPDATE SET last_sent_at = now()
         WHERE vacation_replies.last_sent_at < now() - make_interval(secs => $3)`,
      [t.mailbox.id, sender.slice(0, 254), d.engine.config.vacationInterval / 1000],
    );
    if (!rowCount) continue;
    const v = t.mailbox.vacation!;
    const bytes = buildVacationReply({ from: t.mailbox.address, to: sender, subject: v.subject, body: v.body, original: headers, hostname: d.engine.config.hostname });
    const where = await sendGenerated(d.engine.store, d.services.directory, { bytes, to: sender, tenantId: t.mailbox.tenantId, mailboxId: t.mailbox.id, queueLifetimeMs: d.engine.config.queueLifetime });
    d.logger.info('vacation reply sent', { mailbox: t.mailbox.address, to: sender, where });
  }
}
