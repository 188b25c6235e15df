import { randomBytes } from 'node:crypto';
import libmime from 'libmime';
import { rfc5322Date } from './received-header.js';

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** Sender local parts that are programs, not people (Sieve vacation and Postfix vacation skip them). */
const ROBOT_SENDERS = /^(mailer-daemon|postmaster|listserv|majordomo|mailman|no-?reply|do-?not-?reply|bounces?|owner-.+|.+-request|.+-owner|.+-bounces?)$/i;
const LIST_FIELDS = new Set(['list-id', 'list-unsubscribe', 'list-post', 'list-help', 'list-owner', 'list-subscribe', 'list-archive', 'mailing-list', 'x-mailing-list']);

/**
 * Whether a vacation reply may answer this message (RFC 3834 section 2 and common practice):
 * never to the null sender or to oneself, never to mail that is automatic itself
 * (Auto-Submitted other than "no", Precedence bulk/junk/list, list headers, Microsoft's
 * X-Auto-Response-Suppress), never to addresses of programs (MAILER-DAEMON, *-request, ...).
 * Returns the reason when not.
 */
export function autoReplyBlocker(envelopeSender: string, recipient: string, headers: readonly HeaderField[]): string | undefined {
  const sender = envelopeSender.trim().toLowerCase();
  if (!sender) return 'null sender';
  if (sender === recipient.toLowerCase()) return 'sender is the recipient';
  const local = sender.slice(0, sender.lastIndexOf('@'));
  if (ROBOT_SENDERS.test(local)) return 'sender is a program';
  for (const h of headers) {
    const v = h.value.trim().toLowerCase();
    if (h.name === 'auto-submitted' && v !== 'no' && !v.startsWith('no;') && !v.startsWith('no ')) return 'auto-submitted';
    if (h.name === 'precedence' && /^(bulk|junk|list)\b/.test(v)) return `precedence ${v}`;
    if (LIST_FIELDS.has(h.name)) return 'mailing list';
    if (h.name === 'x-auto-response-suppress' && /\b(all|oof|autoreply)\b/.test(v)) return 'x-auto-response-suppress';
    if (h.name === 'content-type' && /^multipart\/report\b/.test(v)) return 'delivery report';
  }
  return undefined;
}

export interface VacationReplyInput {
  /** The mailbox replying. */
  readonly from: string;
  /** The envelope sender of the message being answered. */
  readonly to: string;
  readonly subject: string | null;
  readonly body: string;
  /** Fields of the message being answered (Subject, Message-ID, References). */
  readonly original: readonly HeaderField[];
  readonly hostname: string;
  readonly date?: Date;
}

/** The reply (RFC 3834 section 3): Auto-Submitted: auto-replied, In-Reply-To/References, "Auto:" subject. */
export function buildVacationReply(r: VacationReplyInput): Buffer {
  const first = (n: string) => r.original.find((h) => h.name === n)?.value;
  const originalSubject = decodeHeader(first('subject') ?? '');
  const subject = r.subject && r.subject.trim() ? r.subject.trim() : `Auto: ${originalSubject}`.trim();
  const messageId = first('message-id')?.match(/<[^<>\s]+>/)?.[0];
  const references = [first('references') ?? first('in-reply-to') ?? '', messageId ?? ''].join(' ').trim().replace(/\s+/g, ' ');
  const lines = [
    `From: <${r.from}>`,
    `To: <${r.to}>`,
    `Subject: ${encodeHeader(subject.replace(/[\r\n]+/g, ' '))}`,
    `Date: ${rfc5322Date(r.date ?? new Date())}`,
    `Message-ID: <${Date.now().toString(36)}.${randomBytes(8).toString('hex')}.vacation@${r.hostname}>`,
    ...(messageId ? [`In-Reply-To: ${messageId}`] : []),
    ...(references ? [`References: ${references.slice(0, 900)}`] : []),
    'Auto-Submitted: auto-replied (vacation)',
    'Precedence: bulk',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  const body = Buffer.from(r.body.replace(/\r?\n/g, '\r\n')).toString('base64').replace(/.{76}(?=.)/g, '$&\r\n');
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body + '\r\n');
}

function decodeHeader(v: string): string {
  try {
    return libmime.decodeWords(Buffer.from(v, 'latin1').toString('utf8'));
  } catch {
    return v;
  }
}

function encodeHeader(v: string): string {
  return /[^\x20-\x7e]/.test(v) ? libmime.encodeWords(v, 'Q', 52) : v;
}

/** Whether the vacation settings are in effect at `now`. */
export function vacationActive(v: { startsAt: Date | null; endsAt: Date | null }, now = new Date()): boolean {
  return (!v.startsAt || v.startsAt <= now) && (!v.endsAt || v.endsAt > now);
}
