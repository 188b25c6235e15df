import { domainToASCII } from 'node:url';

/** Limits from RFC 5321 section 4.5.3.1. */
export const MAX_LOCAL_PART = 64;
export const MAX_DOMAIN = 255;
export const MAX_ADDRESS = 254;

/**
 * A domain name in the form we store and compare: IDNA (punycode) ASCII, lower case, no trailing
 * dot. Returns undefined for anything that is not a valid host name with at least two labels.
 */
export function normalizeDomain(input: string, opts: { minLabels?: number } = {}): string | undefined {
  const trimmed = input.trim().replace(/\.$/, '');
  if (trimmed.length === 0 || trimmed.length > MAX_DOMAIN) return undefined;
  // domainToASCII returns '' for invalid input (it applies UTS #46 mapping, including case folding).
  const ascii = domainToASCII(trimmed).toLowerCase();
  if (ascii === '' || ascii.length > MAX_DOMAIN) return undefined;
  const labels = ascii.split('.');
  if (labels.length < (opts.minLabels ?? 2)) return undefined;
  for (const label of labels) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) return undefined;
  }
  return ascii;
}

/**
 * A local part as stored: lower case (we treat addresses case-insensitively, as Dovecot and
 * Postfix do by default). Allows the RFC 5321 dot-atom characters and UTF-8 (RFC 6531).
 */
export function normalizeLocalPart(input: string): string | undefined {
  const lp = input.trim().toLowerCase();
  if (lp.length === 0 || Buffer.byteLength(lp) > MAX_LOCAL_PART) return undefined;
  if (lp.startsWith('.') || lp.endsWith('.') || lp.includes('..')) return undefined;
  // atext from RFC 5322 plus any non-ASCII character (SMTPUTF8).
  if (!/^[a-z0-9!#$%&'*+\-/=?^_`{|}~.\u0080-\u{10ffff}]+$/u.test(lp)) return undefined;
  return lp;
}

export interface Address {
  readonly localPart: string;
  readonly domain: string;
  /** `local@domain`, normalised; the key used for lookups and uniqueness. */
  readonly address: string;
}

/** Parses and normalises `local@domain`; undefined when either side is invalid. */
export function parseAddress(input: string): Address | undefined {
  const s = input.trim().replace(/^<(.*)>$/, '$1');
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return undefined;
  const localPart = normalizeLocalPart(s.slice(0, at));
  const domain = normalizeDomain(s.slice(at + 1));
  if (!localPart || !domain) return undefined;
  const address = `${localPart}@${domain}`;
  if (Buffer.byteLength(address) > MAX_ADDRESS) return undefined;
  return { localPart, domain, address };
}

export function normalizeAddress(input: string): string | undefined {
  return parseAddress(input)?.address;
}

/**
 * Syntax check for an envelope sender (SMTP MAIL FROM). Laxer than parseAddress, as Postfix is by
 * default: a single-label domain (`root@host`) or an address literal (`user@[192.0.2.1]`) is
 * well-formed; whether such a sender is acceptable is a policy decision, not a syntax error.
 */
export function isWellFormedEnvelopeAddress(input: string): boolean {
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1 || Buffer.byteLength(input) > MAX_ADDRESS) return false;
  if (!normalizeLocalPart(input.slice(0, at))) return false;
  const domain = input.slice(at + 1);
  if (/^\[(?:\d{1,3}\.){3}\d{1,3}\]$/.test(domain) || /^\[IPv6:[0-9a-f:.]+\]$/i.test(domain)) return true;
  return normalizeDomain(domain, { minLabels: 1 }) !== undefined;
}
