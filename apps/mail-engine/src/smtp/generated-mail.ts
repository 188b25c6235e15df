import { spoolBuffer, type MailStore, type OutboundRequest } from '@darwin/mail-store';
import type { SmtpDirectory } from './directory.js';

export interface GeneratedMail {
  readonly bytes: Buffer;
  /** The one recipient (a DSN's or a vacation reply's addressee). */
  readonly to: string;
  /** Tenant the message is sent for (queue rows need one). */
  readonly tenantId: string;
  /** Mailbox sending it (vacation reply: held while that mailbox is blocked), or null (DSN). */
  readonly mailboxId: string | null;
  /** DARWIN_QUEUE_LIFETIME: how long the queue keeps trying, from now. */
  readonly queueLifetimeMs: number;
}

/**
 * Delivers a message the platform writes itself (DSN, vacation reply), always with the null
 * envelope sender so that it can never cause another bounce or auto-reply (RFC 3834 3.3, RFC 5321
 * 4.5.5): into the recipient's mailboxes when the address is hosted here, else through the
 * outbound queue. Returns where it went, for logs; unknown local addresses drop it.
 */
export async function sendGenerated(store: MailStore, directory: SmtpDirectory, mail: GeneratedMail): Promise<'local' | 'queued' | 'dropped'> {
  const r = await directory.resolve(mail.to);
  const message = await spoolBuffer(mail.bytes);
  try {
    if (r.kind === 'remote') {
      await store.accept(message, { targets: [], outbound: outbound(mail, [r.address]) });
      return 'queued';
    }
    if (r.kind !== 'accepted') return 'dropped';
    const targets = r.deliveries.map((d) => ({ mailboxId: d.mailbox.id }));
    const external = r.forwards.map((f) => f.address);
    await store.accept(message, { targets, outbound: external.length > 0 ? outbound(mail, external) : undefined }, { countAsReceived: true });
    return 'local';
  } finally {
    await message.dispose();
  }
}

function outbound(mail: GeneratedMail, recipients: readonly string[]): OutboundRequest {
  return {
    tenantId: mail.tenantId,
    mailboxId: mail.mailboxId,
    mailFrom: '',
    recipients: recipients.map((address) => ({ address })),
    expiresAt: new Date(Date.now() + mail.queueLifetimeMs),
  };
}
