/**
 * Mailbox names on the wire use modified UTF-7 (RFC 3501 5.1.3): printable ASCII stands for
 * itself except `&`, written `&-`; other characters are UTF-16 in modified base64 (`,` for `/`)
 * between `&` and `-`. The store keeps names as Unicode. Pure.
 */

export class MailboxNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailboxNameError';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';

/** Decodes a client's mailbox name; `INBOX` in any case becomes `INBOX`. Throws on bad encoding. */
export function decodeMailboxName(wire: string): string {
  const out = decodeModifiedUtf7(wire);
  return out.toUpperCase() === 'INBOX' ? 'INBOX' : out;
}

/** Modified UTF-7 -> Unicode, nothing else. Throws MailboxNameError on bad encoding. */
export function decodeModifiedUtf7(wire: string): string {
  let out = '';
  let i = 0;
  while (i < wire.length) {
    const c = wire[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) {
      // Clients that send raw UTF-8 (as UTF8=ACCEPT would allow) get what they meant.
      out += c;
      i++;
      continue;
    }
    if (c !== '&') {
      out += c;
      i++;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end < 0) throw new MailboxNameError('Unterminated "&" sequence in mailbox name');
    if (end === i + 1) {
      out += '&';
      i = end + 1;
      continue;
    }
    out += decodeBase64Utf16(wire.slice(i + 1, end));
    i = end + 1;
  }
  return out;
}

function decodeBase64Utf16(b64: string): string {
  let bits = 0;
  let value = 0;
  const units: number[] = [];
  for (const ch of b64) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new MailboxNameError(`Invalid character "${ch}" in modified base64`);
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 16) {
      bits -= 16;
      units.push((value >> bits) & 0xffff);
      value &= (1 << bits) - 1;
    }
  }
  if (bits >= 6 || value !== 0) throw new MailboxNameError('Malformed modified base64 in mailbox name');
  if (units.length === 0) throw new MailboxNameError('Empty modified base64 sequence');
  const s = String.fromCharCode(...units);
  if (/^[\x20-\x7e]*$/.test(s)) throw new MailboxNameError('Printable ASCII must not be base64-encoded in a mailbox name');
  if (LONE_SURROGATE.test(s)) throw new MailboxNameError('Broken UTF-16 in mailbox name');
  return s;
}

/** Encodes a Unicode name for the wire. */
export function encodeMailboxName(name: string): string {
  let out = '';
  let pending = '';
  const flush = () => {
    if (!pending) return;
    const bytes: number[] = [];
    for (let k = 0; k < pending.length; k++) {
      const u = pending.charCodeAt(k);
      bytes.push(u >> 8, u & 0xff);
    }
    let b64 = '';
    for (let k = 0; k < bytes.length; k += 3) {
      const n = (bytes[k]! << 16) | ((bytes[k + 1] ?? 0) << 8) | (bytes[k + 2] ?? 0);
      const chars = k + 1 >= bytes.length ? 2 : k + 2 >= bytes.length ? 3 : 4;
      for (let c = 0; c < chars; c++) b64 += B64[(n >> (18 - 6 * c)) & 63];
    }
    out += `&${b64}-`;
    pending = '';
  };
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) {
      flush();
      out += ch === '&' ? '&-' : ch;
    } else {
      pending += ch;
    }
  }
  flush();
  return out;
}
