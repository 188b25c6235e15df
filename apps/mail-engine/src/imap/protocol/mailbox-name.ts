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

export interface NameLimits {
  readonly maxFolderDepth: number;
  readonly maxFolderNameBytes: number;
  readonly maxFolderComponentBytes: number;
}

/**
 * Why a name cannot be created (undefined when it can): "/" is the delimiter, so no empty
 * components, no "." or ".." (no traversal), no wildcards or control characters, and the depth
 * and length limits of the configuration.
 */
export function newMailboxNameProblem(name: string, limits: NameLimits): string | undefined {
  if (name.length === 0) return 'Empty mailbox name.';
  if (/[\x00-\x1f\x7f]/.test(name)) return 'Mailbox name contains control characters.';
  if (/[*%]/.test(name)) return 'Mailbox name must not contain the wildcards * or %.';
  if (Buffer.byteLength(name) > limits.maxFolderNameBytes) return `Mailbox name too long (limit ${limits.maxFolderNameBytes} bytes).`;
  const parts = name.split('/');
  if (parts.length > limits.maxFolderDepth) return `Mailbox hierarchy too deep (limit ${limits.maxFolderDepth} levels).`;
  for (const p of parts) {
    if (p.length === 0) return 'Mailbox name must not have empty hierarchy levels.';
    if (p === '.' || p === '..') return 'Mailbox name must not contain "." or ".." levels.';
    if (Buffer.byteLength(p) > limits.maxFolderComponentBytes) return `Mailbox name level too long (limit ${limits.maxFolderComponentBytes} bytes).`;
  }
  return undefined;
}

/** A name as the client reads it: modified UTF-7, or UTF-8 once UTF8=ACCEPT is enabled. */
export function wireMailboxName(name: string, utf8: boolean): string {
  return utf8 ? name : encodeMailboxName(name);
}
