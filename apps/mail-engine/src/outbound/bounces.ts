import type { Logger } from '@darwin/logger';
import { spoolBuffer, type MailStore, type QueuedDelivery } from '@darwin/mail-store';
import { buildDsn, type DsnRecipient } from './dsn.js';

/** RFC 3461 parameters of one queue row, from its dsn jsonb (keys in either case, as kept at acceptance). */
export interface DsnParams {
  /** Undefined when the client gave no NOTIFY: then only failures are reported (RFC 3461 4.1). */
  readonly notify?: ReadonlySet<'NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY'>;
  readonly orcpt?: string;
  readonly ret?: 'FULL' | 'HDRS';
  readonly envid?: string;
}

function field(dsn: Readonly<Record<string, unknown>>, name: string): unknown {
  return dsn[name] ?? dsn[name.toUpperCase()];
}

export function dsnParams(dsn: Readonly<Record<string, unknown>>): DsnParams {
  const rawNotify = field(dsn, 'notify');
  const list = Array.isArray(rawNotify) ? rawNotify : typeof rawNotify === 'string' ? rawNotify.split(',') : undefined;
  const notify = list
    ? new Set(list.map((v) => String(v).trim().toUpperCase()).filter((v): v is 'NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY' => ['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'].includes(v)))
    : undefined;
  const ret = String(field(dsn, 'ret') ?? '').toUpperCase();
  const orcpt = field(dsn, 'orcpt');
  const envid = field(dsn, 'envid');
  return {
    notify: notify && notify.size > 0 ? notify : undefined,
    orcpt: typeof orcpt === 'string' && orcpt ? orcpt : undefined,
    ret: ret === 'FULL' || ret === 'HDRS' ? ret : undefined,
    envid: typeof envid === 'string' && envid ? envid : undefined,
  };
}

/** Whether the sender asked to hear about this outcome of this recipient. */
export function wantsNotice(params: DsnParams, action: 'failed' | 'delayed' | 'relayed'): boolean {
  if (!params.notify) return action === 'failed';
  if (params.notify.has('NEVER')) return false;
  return params.notify.has(action === 'failed' ? 'FAILURE' : action === 'delayed' ? 'DELAY' : 'SUCCESS');
}

export interface Notice {
  readonly row: QueuedDelivery;
  readonly recipient: DsnRecipient;
}

export interface BounceContext {
  readonly store: MailStore;
  readonly hostname: string;
  readonly logger: Logger;
  /** Lifetime of a notice queued for a remote sender (DARWIN_QUEUE_LIFETIME); default 5 days. */
  readonly queueLifetimeMs?: number;
}

/**
 * Sends ONE delivery status notification for recipients of one message (rows sharing blob and
 * sender) to the envelope sender, from the null sender so that it can never bounce back:
 * - into the sender's own mailbox when the sender is one of ours (an address of a mailbox, or an
 *   address of a hosted domain used by the mailbox that submitted the message, e.g. an alias);
 * - otherwise queued for remote delivery (mail_from '' on the new row).
 * Nothing is sent for the null sender. Throws when the notice could not be stored (database
 * trouble), so the caller can keep the rows and try again.
 */
export async function sendNotice(ctx: BounceContext, notices: readonly Notice[]): Promise<'none' | 'local' | 'queued' | 'dropped'> {
  const first = notices[0];
  if (!first || first.row.mailFrom === '') return 'none';
  const row = first.row;
  const params = dsnParams(row.dsn);
  const dsn = await buildDsn({
    reportingMta: ctx.hostname,
    originalEnvelopeId: params.envid,
    arrivalDate: row.createdAt,
    recipients: notices.map((n) => n.recipient),
    original: ctx.store.openBlob(row.blobId),
    ret: params.ret ?? 'FULL',
    to: row.mailFrom,
    from: `MAILER-DAEMON@${ctx.hostname}`,
  });
  const message = await spoolBuffer(dsn);
  try {
    const mailboxId = await localMailboxOf(ctx.store, row);
    if (mailboxId) {
      const result = await ctx.store.accept(message, { targets: [{ mailboxId }] });
      const outcome = result.local[0];
      if (outcome?.status === 'stored') return 'local';
      // A full mailbox cannot take its own bounce; like a bounce of a bounce, it is dropped (logged).
      ctx.logger.warn('delivery status notification dropped: the sender mailbox refused it', { mailboxId, status: outcome?.status, queueId: row.id });
      return 'dropped';
    }
    await ctx.store.accept(message, { targets: [], outbound: { tenantId: row.tenantId, mailboxId: null, mailFrom: '', recipients: [{ address: row.mailFrom, dsn: { notify: ['NEVER'] } }], expiresAt: ctx.queueLifetimeMs ? new Date(Date.now() + ctx.queueLifetimeMs) : undefined } });
    return 'queued';
  } finally {
    await message.dispose();
  }
}

async function localMailboxOf(store: MailStore, row: QueuedDelivery): Promise<string | undefined> {
  const account = await store.findAccount(row.mailFrom.toLowerCase());
  if (account) return account.id;
  const domain = row.mailFrom.slice(row.mailFrom.lastIndexOf('@') + 1).toLowerCase();
  if (row.mailboxId && (await store.findDomain(domain))) {
    const submitter = await store.getAccount(row.mailboxId);
    if (submitter) return submitter.id;
  }
  return undefined;
}
