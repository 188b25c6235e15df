/** RFC 5322 date-time, e.g. "Thu, 26 Nov 2026 16:41:00 +0000". */
export function rfc5322Date(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface ReceivedInfo {
  readonly helo: string;
  readonly remoteAddress: string;
  readonly reverseName?: string;
  readonly hostname: string;
  /** RFC 3848 protocol: ESMTP, ESMTPS (TLS), ESMTPA (auth), ESMTPSA. */
  readonly protocol: string;
  readonly id: string;
  /** Named only for a single recipient, so a Bcc'd address is not disclosed to the others. */
  readonly recipient?: string;
  readonly date: Date;
}

/** Strips anything that could break out of a header field (CR, LF, other controls, parentheses). */
function clean(s: string): string {
  return s.replace(/[\x00-\x1f\x7f()]/g, '').slice(0, 255);
}

/** The trace header every MTA prepends (RFC 5321 4.4), folded over lines like Postfix's. */
export function receivedHeader(r: ReceivedInfo): string {
  const ip = r.remoteAddress.replace(/^::ffff:/, '');
  const from = `from ${clean(r.helo) || 'unknown'} (${clean(r.reverseName ?? 'unknown')} [${ip}])`;
  const forPart = r.recipient ? `\r\n\tfor <${clean(r.recipient)}>` : '';
  return `Received: ${from}\r\n\tby ${r.hostname} (Darwin Mail) with ${r.protocol} id ${r.id}${forPart};\r\n\t${rfc5322Date(r.date)}\r\n`;
}
