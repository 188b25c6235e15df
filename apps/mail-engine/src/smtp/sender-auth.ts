import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SpooledMessage } from '@darwin/mail-store';
import { authenticate, type DNSResolver } from 'mailauth';
import type { DnsResolve } from '../dns/cached-resolve.js';
import { senderAuthKey, type SenderAuthCache } from './sender-auth-cache.js';

export interface SenderAuthInput {
  /** Client IP address. */
  readonly ip: string;
  readonly helo: string;
  /** MAIL FROM ('' for the null sender). */
  readonly sender: string;
}

export interface SenderAuthOptions {
  /** Our host name: the authserv-id of the Authentication-Results header. */
  readonly hostname: string;
  readonly resolver: DnsResolve;
  readonly timeoutMs: number;
  /** Results for unsigned mail, reused while DNS answers are (sender-auth-cache.ts). */
  readonly cache?: SenderAuthCache;
}

export interface SenderAuthResult {
  /** Header fields to prepend (Authentication-Results, Received-SPF), CRLF-terminated. */
  readonly headers: string;
  readonly dmarc?: { readonly result: string; readonly policy: string; readonly domain: string; readonly pct?: number };
  readonly timedOut: boolean;
  /** Short form for logs: spf=pass dkim=none dmarc=pass. */
  readonly summary: string;
}

/** Messages up to this size are handed to mailauth as one Buffer (a stream costs it twice the CPU). */
const BUFFER_LIMIT = 1024 * 1024;
/** The spool's cap on the header block it keeps (libs/mail-store spool.ts). */
const SPOOL_HEADER_CAP = 256 * 1024;
/** Header fields whose verification needs the body: a DKIM signature's or an ARC set's body hash. */
const SIGNATURE_FIELD = /^(?:dkim-signature|arc-[a-z-]+)[ \t]*:/im;

/**
 * What mailauth reads. Without a DKIM-Signature or ARC field nothing in the body can change any
 * result (SPF, DMARC and ARC `none` look at the envelope and the header only; the body is read
 * only to hash it for a signature), so an unsigned message is verified on its header block alone.
 * Otherwise the whole message: one Buffer while it is small, a stream beyond that.
 */
export async function verificationInput(message: SpooledMessage): Promise<Buffer | Readable> {
  const header = unsignedHeader(message);
  if (header) return Buffer.concat([header, CRLF]);
  if (message.size > BUFFER_LIMIT) return Readable.from(message.chunks(64 * 1024));
  const parts: Buffer[] = [];
  for await (const c of message.chunks(BUFFER_LIMIT)) parts.push(c);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n');

/** The whole header block of a message without DKIM signatures or ARC sets; undefined otherwise. */
function unsignedHeader(message: SpooledMessage): Buffer | undefined {
  const header = message.headerBytes;
  const complete = header.length < SPOOL_HEADER_CAP && header.length > 0 && header[header.length - 1] === 0x0a;
  return complete && !SIGNATURE_FIELD.test(header.toString('latin1')) ? header : undefined;
}

/**
 * SPF, DKIM, DMARC and ARC verification of an incoming message with mailauth, over our DNS
 * resolver (time limit per query). The whole check also has a time limit: past it the message
 * gets an Authentication-Results header saying `temperror` rather than waiting longer.
 */
export async function verifySender(message: SpooledMessage, input: SenderAuthInput, opts: SenderAuthOptions): Promise<SenderAuthResult> {
  const ip = input.ip.replace(/^::ffff:/, '');
  const header = opts.cache ? unsignedHeader(message) : undefined;
  const key = header ? senderAuthKey({ ...input, ip }, header) : undefined;
  const hit = key ? opts.cache!.get(key) : undefined;
  if (hit) return hit;
  const result = await verify(message, { ...input, ip }, opts);
  // A temporary error may be gone on the next message; everything else holds while DNS does.
  if (key && !result.timedOut && !/temperror/.test(result.headers)) opts.cache!.set(key, result);
  return result;
}

async function verify(message: SpooledMessage, input: SenderAuthInput, opts: SenderAuthOptions): Promise<SenderAuthResult> {
  const ip = input.ip;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  try {
    const run = authenticate(await verificationInput(message), {
      ip,
      helo: input.helo,
      sender: input.sender || undefined,
      mta: opts.hostname,
      resolver: opts.resolver as unknown as DNSResolver,
      disableBimi: true,
    });
    const r = await Promise.race([run, timeout]);
    if (r === 'timeout') {
      run.catch(() => {});
      const header = `Authentication-Results: ${opts.hostname};\r\n spf=temperror smtp.mailfrom=${headerSafe(input.sender || input.helo)};\r\n dkim=temperror (verification timed out)\r\n`;
      return { headers: header, timedOut: true, summary: 'timeout' };
    }
    const dmarc = r.dmarc
      ? { result: r.dmarc.status.result, policy: r.dmarc.policy, domain: r.dmarc.domain, pct: r.dmarc.pct }
      : undefined;
    const spf = r.spf ? r.spf.status.result : 'none';
    const dkim = r.dkim.results.length > 0 ? r.dkim.results.map((x) => x.status.result).join(',') : 'none';
    return { headers: r.headers, dmarc, timedOut: false, summary: `spf=${spf} dkim=${dkim} dmarc=${dmarc?.result ?? 'none'} arc=${r.arc ? r.arc.status.result : 'none'}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the DMARC outcome asks us to reject (p=reject, honouring pct). */
export function dmarcRejects(dmarc: SenderAuthResult['dmarc']): boolean {
  if (!dmarc || dmarc.result !== 'fail' || dmarc.policy !== 'reject') return false;
  const pct = dmarc.pct ?? 100;
  return pct >= 100 || randomInt(100) < pct;
}

function headerSafe(s: string): string {
  return s.replace(/[^\x21-\x7e]/g, '').slice(0, 254) || 'unknown';
}
