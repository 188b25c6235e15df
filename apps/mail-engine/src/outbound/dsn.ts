import { randomBytes } from 'node:crypto';

/**
 * Delivery Status Notifications (RFC 3464): a multipart/report with a human-readable part, a
 * message/delivery-status part and the original message (RET=FULL) or its headers (RET=HDRS).
 *
 * The builder is pure apart from reading the original: it never sends. Callers deliver the result
 * with the null sender (MAIL FROM:<>) so a DSN can never bounce back (RFC 5321 4.5.5).
 */

export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

export interface DsnRecipient {
  /** The address delivery was attempted to (Final-Recipient). */
  readonly finalRecipient: string;
  /** The client's ORCPT value, `type;address` (e.g. `rfc822;bob@example.com`) or a bare address. */
  readonly originalRecipient?: string;
  readonly action: DsnAction;
  /** Enhanced status code (RFC 3463), e.g. `5.1.1`. */
  readonly status: string;
  /**
   * What went wrong: a remote SMTP reply (`550 5.1.1 No such user`, sent as `smtp;`) or our own
   * explanation (sent as `X-Darwin;`).
   */
  readonly diagnostic?: string;
  /** The remote host that answered (Remote-MTA, `dns;`). */
  readonly remoteMta?: string;
  readonly lastAttemptDate?: Date;
  /** For `delayed`: until when we keep trying. */
  readonly willRetryUntil?: Date;
}

/** The original message: bytes, or a stream read only as far as needed (headers only for HDRS). */
export type DsnOriginal = Buffer | AsyncIterable<Buffer | Uint8Array | string>;

export interface DsnOptions {
  /** Our host name (Reporting-MTA). */
  readonly reportingMta: string;
  /** The ENVID parameter of the original MAIL FROM. */
  readonly originalEnvelopeId?: string;
  /** When we accepted the original. */
  readonly arrivalDate: Date;
  /** Who handed us the original (Received-From-MTA), e.g. the client's HELO name. */
  readonly receivedFromMta?: string;
  readonly recipients: readonly DsnRecipient[];
  /** The original message (whole, or just its header block). */
  readonly original?: DsnOriginal;
  /** Only the header block of the original, when the caller has nothing more. */
  readonly originalHeaders?: Buffer;
  /** RET of the original MAIL FROM: return the whole message or only its headers. */
  readonly ret: 'FULL' | 'HDRS';
  /** Envelope sender of the original: who receives this report. Never the null sender. */
  readonly to: string;
  /** Usually `MAILER-DAEMON@<hostname>`. */
  readonly from: string;
  /** Date of the report; default now. */
  readonly date?: Date;
  /** Message-ID of the report (without angle brackets); default a random one at reportingMta. */
  readonly messageId?: string;
  /**
   * Largest original returned whole with RET=FULL; a larger one is returned as headers only, and
   * the human part says so (Postfix's bounce_size_limit). Default 1 MiB.
   */
  readonly maxFullBytes?: number;
}

export const DEFAULT_DSN_MAX_FULL_BYTES = 1024 * 1024;
/** A header block larger than this is cut at a line boundary (it is only there for reference). */
const MAX_HEADER_BYTES = 256 * 1024;

const STATUS_RE = /^[245]\.\d{1,3}\.\d{1,3}$/;

/** Builds the complete DSN message (CRLF line endings), ready to be stored or sent. */
export async function buildDsn(opts: DsnOptions): Promise<Buffer> {
  if (opts.recipients.length === 0) throw new Error('a DSN needs at least one recipient');
  if (!opts.to) throw new Error('a DSN is never sent to the null sender');
  for (const r of opts.recipients) {
    if (!STATUS_RE.test(r.status)) throw new Error(`invalid DSN status code ${JSON.stringify(r.status)}`);
  }
  const maxFull = opts.maxFullBytes ?? DEFAULT_DSN_MAX_FULL_BYTES;
  const original = await readOriginal(opts, maxFull);
  const boundary = chooseBoundary(original.bytes);
  const date = opts.date ?? new Date();
  const messageId = opts.messageId ?? `${Date.now().toString(36)}.${randomBytes(8).toString('hex')}.dsn@${opts.reportingMta}`;
  const inReplyTo = original.messageId;

  const head = [
    `From: Mail Delivery System <${opts.from}>`,
    `To: <${opts.to}>`,
    `Subject: ${subjectFor(opts.recipients)}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${messageId}>`,
    ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`, `References: ${inReplyTo}`] : []),
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
  ];

  const human = humanText(opts, original);
  const parts: Buffer[] = [
    Buffer.from(head.join('\r\n') + '\r\n\r\nThis is a MIME-encapsulated message.\r\n\r\n'),
    Buffer.from(`--${boundary}\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=utf-8\r\n`),
    Buffer.from(`Content-Transfer-Encoding: ${hasEightBit(Buffer.from(human)) ? '8bit' : '7bit'}\r\n\r\n${human}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n`),
    Buffer.from(deliveryStatus(opts)),
  ];
  if (original.bytes.length > 0) {
    const full = original.kind === 'full';
    const type = full ? 'message/rfc822' : 'text/rfc822-headers';
    const description = full ? 'Undelivered Message' : 'Undelivered Message Headers';
    const cte = hasEightBit(original.bytes) ? '8bit' : '7bit';
    parts.push(Buffer.from(`--${boundary}\r\nContent-Description: ${description}\r\nContent-Type: ${type}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n`));
    parts.push(original.bytes);
    if (!endsWithCrlf(original.bytes)) parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

interface Original {
  readonly kind: 'full' | 'headers';
  readonly bytes: Buffer;
  /** True when RET=FULL was asked but the message was too large, so only headers are returned. */
  readonly truncated: boolean;
  readonly messageId?: string;
}

async function readOriginal(opts: DsnOptions, maxFull: number): Promise<Original> {
  const wantFull = opts.ret === 'FULL';
  let collected: Buffer;
  let complete = true;
  if (opts.original === undefined) {
    collected = opts.originalHeaders ?? Buffer.alloc(0);
    complete = false;
  } else if (Buffer.isBuffer(opts.original)) {
    collected = opts.original;
  } else {
    // Read only what is needed: up to the blank line for HDRS, up to maxFull (+1 to notice) for FULL.
    const limit = wantFull ? maxFull + 1 : MAX_HEADER_BYTES;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of opts.original) {
      const b = typeof c === 'string' ? Buffer.from(c) : Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      chunks.push(b);
      size += b.length;
      if (size >= limit) {
        complete = false;
        break;
      }
      if (!wantFull && headerEnd(Buffer.concat(chunks)) >= 0) {
        complete = false;
        break;
      }
    }
    collected = Buffer.concat(chunks);
  }
  const headers = headerBlock(collected);
  const messageId = findMessageId(headers);
  if (wantFull && complete && collected.length <= maxFull) return { kind: 'full', bytes: collected, truncated: false, messageId };
  const truncated = wantFull && (collected.length > maxFull || (opts.original !== undefined && !complete));
  return { kind: 'headers', bytes: headers, truncated, messageId };
}

/** Offset of the blank line ending the header block (pointing at its first line break), or -1. */
function headerEnd(b: Buffer): number {
  const crlf = b.indexOf('\r\n\r\n');
  const lf = b.indexOf('\n\n');
  if (crlf < 0) return lf;
  if (lf < 0) return crlf;
  return Math.min(crlf, lf);
}

/** The header block including its final line break, without the blank line; capped at a line boundary. */
function headerBlock(b: Buffer): Buffer {
  const end = headerEnd(b);
  let block = end >= 0 ? b.subarray(0, end + (b[end] === 0x0d ? 2 : 1)) : b;
  if (block.length > MAX_HEADER_BYTES) {
    block = block.subarray(0, MAX_HEADER_BYTES);
    const lastLf = block.lastIndexOf(0x0a);
    block = lastLf >= 0 ? block.subarray(0, lastLf + 1) : Buffer.alloc(0);
  }
  return normaliseLineEnds(block);
}

function normaliseLineEnds(b: Buffer): Buffer {
  if (!b.includes(0x0a)) return b;
  return Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

function findMessageId(headers: Buffer): string | undefined {
  const m = /^message-id:[ \t]*(<[^<>\s]{1,900}>)/im.exec(headers.toString('latin1').replace(/\r?\n[ \t]+/g, ' '));
  return m?.[1];
}

function chooseBoundary(content: Buffer): string {
  for (;;) {
    const b = `=_darwin_dsn_${randomBytes(12).toString('hex')}`;
    if (!content.includes(b)) return b;
  }
}

function hasEightBit(b: Buffer): boolean {
  for (const byte of b) if (byte >= 0x80) return true;
  return false;
}

function endsWithCrlf(b: Buffer): boolean {
  return b.length >= 2 && b[b.length - 2] === 0x0d && b[b.length - 1] === 0x0a;
}

function subjectFor(recipients: readonly DsnRecipient[]): string {
  const actions = new Set(recipients.map((r) => r.action));
  if (actions.size === 1) {
    if (actions.has('failed')) return 'Undelivered Mail Returned to Sender';
    if (actions.has('delayed')) return 'Delayed Mail (still being retried)';
    if (actions.has('delivered')) return 'Successful Mail Delivery Report';
  }
  return 'Delivery Status Notification';
}

function humanText(opts: DsnOptions, original: Original): string {
  const lines = [`This is the mail system at host ${opts.reportingMta}.`, ''];
  const groups: [DsnAction[], string][] = [
    [['failed'], 'Your message could not be delivered to the following recipients. This is a permanent error; the mail system gave up.'],
    [['delayed'], 'Your message could not be delivered yet to the following recipients. The mail system will keep trying; you do not need to send it again.'],
    [['delivered', 'relayed', 'expanded'], 'Your message was delivered to the following recipients.'],
  ];
  for (const [actions, intro] of groups) {
    const rs = opts.recipients.filter((r) => actions.includes(r.action));
    if (rs.length === 0) continue;
    lines.push(...wrap(intro, 72), '');
    for (const r of rs) {
      const where = r.remoteMta ? ` (host ${r.remoteMta})` : '';
      const until = r.action === 'delayed' && r.willRetryUntil ? ` Retrying until ${rfc5322Date(r.willRetryUntil)}.` : '';
      lines.push(`<${r.finalRecipient}>${where}:`);
      lines.push(...wrap(`${r.diagnostic ? printable(r.diagnostic) : `status ${r.status}`}${until}`, 70).map((l) => `    ${l}`), '');
    }
  }
  if (original.bytes.length === 0) return lines.join('\r\n');
  if (original.kind === 'full') lines.push('The original message is attached.', '');
  else if (original.truncated) lines.push('The original message was too large to return; only its headers are attached.', '');
  else lines.push("The original message's headers are attached.", '');
  return lines.join('\r\n');
}

/** The message/delivery-status body: per-message fields, then one block per recipient. */
function deliveryStatus(opts: DsnOptions): string {
  const blocks: string[][] = [];
  const perMessage = [`Reporting-MTA: dns; ${opts.reportingMta}`];
  if (opts.originalEnvelopeId) perMessage.push(`Original-Envelope-Id: ${printable(opts.originalEnvelopeId)}`);
  if (opts.receivedFromMta) perMessage.push(`Received-From-MTA: dns; ${printable(opts.receivedFromMta)}`);
  perMessage.push(`Arrival-Date: ${rfc5322Date(opts.arrivalDate)}`);
  blocks.push(perMessage);
  for (const r of opts.recipients) {
    const b = [`Final-Recipient: ${typedAddress(r.finalRecipient)}`];
    if (r.originalRecipient) b.push(`Original-Recipient: ${originalRecipient(r.originalRecipient)}`);
    b.push(`Action: ${r.action}`, `Status: ${r.status}`);
    if (r.remoteMta) b.push(`Remote-MTA: dns; ${printable(r.remoteMta)}`);
    if (r.diagnostic) {
      const text = printable(r.diagnostic);
      b.push(fold(`Diagnostic-Code: ${/^\d{3}(?:[ -]|$)/.test(text) ? 'smtp' : 'X-Darwin'}; ${text}`));
    }
    if (r.lastAttemptDate) b.push(`Last-Attempt-Date: ${rfc5322Date(r.lastAttemptDate)}`);
    if (r.willRetryUntil && r.action === 'delayed') b.push(`Will-Retry-Until: ${rfc5322Date(r.willRetryUntil)}`);
    blocks.push(b);
  }
  return blocks.map((b) => b.join('\r\n') + '\r\n').join('\r\n');
}

/** `rfc822; a@b` for ASCII addresses; `utf-8; ...` with \x{HEX} escapes otherwise (RFC 6533 3). */
function typedAddress(address: string): string {
  if (/^[\x21-\x7e]+$/.test(address)) return `rfc822; ${address}`;
  return `utf-8; ${[...address].map((ch) => (ch.codePointAt(0)! > 0x7e || ch.codePointAt(0)! < 0x21 ? `\\x{${ch.codePointAt(0)!.toString(16).toUpperCase()}}` : ch)).join('')}`;
}

function originalRecipient(orcpt: string): string {
  const semi = orcpt.indexOf(';');
  if (semi > 0 && /^[a-z0-9-]+$/i.test(orcpt.slice(0, semi).trim())) {
    const type = orcpt.slice(0, semi).trim().toLowerCase();
    const value = orcpt.slice(semi + 1).trim();
    return type === 'rfc822' ? typedAddress(value) : `${type}; ${printable(value)}`;
  }
  return typedAddress(orcpt.trim());
}

/** Printable US-ASCII on one line: replies and envelope ids come from outside and must not inject fields. */
function printable(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').replace(/ {2,}/g, ' ').trim().slice(0, 2000);
}

/** Folds a header line at spaces so that lines stay under 78 characters where possible. */
function fold(line: string): string {
  if (line.length <= 78) return line;
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + 1 + word.length > 76) {
      out.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) out.push(current);
  return out.join('\r\n ');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) out.push(current);
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date-time in UTC: `Thu, 26 Nov 2026 17:12:03 +0000`. */
export function rfc5322Date(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
