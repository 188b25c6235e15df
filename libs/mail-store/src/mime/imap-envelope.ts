/**
 * The IMAP wire form of an ENVELOPE (RFC 3501 7.4.2), rendered once at delivery and stored with
 * the message, so FETCH ENVELOPE copies text instead of building it again for every message (the
 * role of Dovecot's cache file). Strings are quoted when they are short 7-bit text, otherwise
 * literals; the IMAP server renders nested envelopes (message/rfc822 parts) with the same function.
 */
import type { Envelope, EnvelopeAddress } from './structure.js';

const QUOTABLE = /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/;
const MAX_QUOTED = 1024;

export function imapString(s: string | null): string {
  if (s === null) return 'NIL';
  const bytes = Buffer.byteLength(s);
  if (bytes <= MAX_QUOTED && QUOTABLE.test(s)) return `"${s.includes('\\') || s.includes('"') ? s.replace(/[\\"]/g, (c) => `\\${c}`) : s}"`;
  return `{${bytes}}\r\n${s}`;
}

function addresses(list: readonly EnvelopeAddress[] | null): string {
  if (!list || list.length === 0) return 'NIL';
  let out = '(';
  for (const a of list) out += `(${imapString(a.name)} ${imapString(a.adl)} ${imapString(a.mailbox)} ${imapString(a.host)})`;
  return `${out})`;
}

export function envelopeToImap(e: Envelope): string {
  return `(${imapString(e.date)} ${imapString(e.subject)} ${addresses(e.from)} ${addresses(e.sender)} ${addresses(e.replyTo)} ${addresses(e.to)} ${addresses(e.cc)} ${addresses(e.bcc)} ${imapString(e.inReplyTo)} ${imapString(e.messageId)})`;
}
