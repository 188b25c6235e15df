import { isFull, parseAddress } from '@darwin/core';
import type { MailStore } from '@darwin/mail-store';
import { REPLIES } from './smtp-error.js';

export interface LocalRecipient {
  readonly kind: 'local';
  readonly address: string;
  readonly mailboxId: string;
}

export interface RecipientContext {
  readonly store: MailStore;
  /** Authenticated senders may relay to remote domains (submission); the MX never relays. */
  readonly authenticated: boolean;
}

/**
 * Decides at RCPT time what happens to one recipient, so that the client learns of every
 * permanent problem before sending the data: unknown user, relay attempt, disabled mailbox, full
 * mailbox. Throws an SmtpError with the reply to give.
 */
export async function resolveRecipient(raw: string, ctx: RecipientContext): Promise<LocalRecipient> {
  const addr = parseAddress(raw);
  if (!addr) throw REPLIES.badRecipient();
  const domain = await ctx.store.findDomain(addr.domain);
  if (!domain) {
    // Remote delivery for authenticated senders arrives with the outbound queue (submission).
    throw REPLIES.relayDenied();
  }
  const account = await ctx.store.findAccount(addr.address);
  if (!account) throw REPLIES.noSuchUser();
  if (account.receiveSuspended || !account.tenantActive || !account.domainActive || !domain.active) throw REPLIES.receiveDisabled();
  if (isFull(account)) throw REPLIES.mailboxFullTemp();
  return { kind: 'local', address: addr.address, mailboxId: account.id };
}
