import type { Readable } from 'node:stream';
import { parseHeaderBlock, Spool, type MailStore, type SpooledMessage } from '@darwin/mail-store';
import type { Logger } from '@darwin/logger';
import type { LocalRecipient } from './recipients.js';
import { REPLIES, SmtpError } from './smtp-error.js';

export interface AcceptOptions {
  readonly store: MailStore;
  readonly logger: Logger;
  readonly maxBytes: number;
  readonly maxReceived: number;
  /** The trace header to prepend (already CRLF-terminated). */
  readonly received: string;
  readonly recipients: readonly LocalRecipient[];
}

/** Reads the DATA stream into a spool with our Received header first, applying backpressure. */
async function spoolData(stream: Readable, received: string, maxBytes: number): Promise<SpooledMessage> {
  const spool = new Spool({ maxBytes: maxBytes + Buffer.byteLength(received) });
  try {
    await spool.write(Buffer.from(received));
    for await (const chunk of stream) await spool.write(chunk as Buffer);
    return await spool.finish();
  } catch (err) {
    await spool.discard();
    throw err;
  }
}

/**
 * End of DATA: store the message for every local recipient in one transaction and answer only
 * after COMMIT. Returns the 250 text, or throws the SmtpError to send.
 */
export async function acceptMessage(stream: Readable & { sizeExceeded?: boolean }, opts: AcceptOptions): Promise<string> {
  const message = await spoolData(stream, opts.received, opts.maxBytes);
  try {
    // smtp-server answers 552 itself when its SIZE limit was passed; this covers our own cap.
    if (message.oversize || stream.sizeExceeded) throw REPLIES.tooBig(opts.maxBytes);
    const hops = parseHeaderBlock(message.headerBytes).filter((h) => h.name === 'received').length;
    if (hops > opts.maxReceived) throw REPLIES.loop(hops);
    const outcomes = await opts.store.deliver(
      message,
      opts.recipients.map((r) => ({ mailboxId: r.mailboxId })),
      { countAsReceived: true },
    );
    const stored = outcomes.filter((o) => o.status === 'stored').length;
    if (stored === 0) {
      throw outcomes.some((o) => o.status === 'over_quota') ? REPLIES.mailboxFull() : REPLIES.tempFailure();
    }
    if (stored < outcomes.length) {
      // A recipient filled up between RCPT and the end of DATA. The others have the message;
      // the DSN to the sender for the rest is the outbound queue's job (SMTP issue).
      opts.logger.warn('message stored for some recipients only', {
        failed: outcomes.filter((o) => o.status !== 'stored').map((o) => ({ mailboxId: o.mailboxId, status: o.status })),
      });
    }
    return `2.0.0 Ok: stored ${message.size} bytes for ${stored} recipient${stored === 1 ? '' : 's'}`;
  } catch (err) {
    if (err instanceof SmtpError) throw err;
    opts.logger.error('delivery failed', { err });
    throw REPLIES.tempFailure();
  } finally {
    await message.dispose();
  }
}
