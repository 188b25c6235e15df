import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { DnsError, TtlMap } from '@darwin/core';

/** RFC 8461 3.2: a policy. `none` says the domain withdrew its policy. */
export interface MtaStsPolicy {
  readonly mode: 'enforce' | 'testing' | 'none';
  /** MX patterns: a host name, or `*.` and a name (one leftmost label). */
  readonly mx: readonly string[];
  readonly maxAgeSeconds: number;
}

/** RFC 8461 3.2: at most a year. */
const MAX_AGE_LIMIT = 31_557_600;
/** Policies are small; a larger body is not a policy (and must not cost memory). */
const MAX_POLICY_BYTES = 64 * 1024;

/** Parses a policy file (RFC 8461 3.2); undefined when it is not a valid STSv1 policy. */
export function parsePolicy(text: string): MtaStsPolicy | undefined {
  const fields = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), line.slice(colon + 1).trim()]);
  }
  const one = (k: string) => fields.get(k)?.[0];
  const mode = one('mode');
  const maxAge = Number(one('max_age'));
  const mx = (fields.get('mx') ?? []).map((m) => m.toLowerCase().replace(/\.$/, '')).filter(Boolean);
  if (one('version') !== 'STSv1' || (mode !== 'enforce' && mode !== 'testing' && mode !== 'none')) return undefined;
  if (!Number.isInteger(maxAge) || maxAge < 0 || !/^\d{1,10}$/.test(one('max_age') ?? '')) return undefined;
  if (mode !== 'none' && mx.length === 0) return undefined;
  return { mode, mx, maxAgeSeconds: Math.min(maxAge, MAX_AGE_LIMIT) };
}

/** RFC 8461 4.1: an MX host matches a pattern exactly, or `*.example.com` by one leftmost label. */
export function mxMatches(patterns: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((p) => {
    if (!p.startsWith('*.')) return p === h;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === p.slice(2);
  });
}

/** The id of a domain's `_mta-sts` TXT record (RFC 8461 3.1); undefined when there is none valid. */
export function policyId(records: readonly string[][]): string | undefined {
  const sts = records.map((r) => r.join('')).filter((t) => /^v=STSv1;/.test(t));
  if (sts.length !== 1) return undefined;
  const id = /(?:^|;)\s*id=([A-Za-z0-9]{1,32})\s*(?:;|$)/.exec(sts[0]!);
  return id?.[1];
}

export interface MtaStsOptions {
  /** TXT lookup (the engine's DNS client). */
  readonly txt: (name: string) => Promise<string[][]>;
  /** Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt`; default: HTTPS (see fetchPolicyText). */
  readonly fetch: (domain: string) => Promise<string>;
  readonly now?: () => number;
  /** Bounds memory: past it, the cache is cleared of expired policies, then emptied. */
  readonly maxEntries?: number;
}

interface Cached {
  readonly id: string;
  readonly policy: MtaStsPolicy;
}

/**
 * The MTA-STS policy of a recipient domain (RFC 8461 5), cached for its max_age: the TXT record is
 * asked every time (its id says whether the policy changed), the policy file only when the id is
 * new or the cached copy expired. A domain without a record, or whose policy cannot be fetched,
 * has no policy unless a cached one is still valid (which defeats an attacker who blocks the fetch
 * of a domain we already know).
 */
export class MtaStsResolver {
  /** Valid policies only: an entry expires with its max_age. */
  private readonly cache: TtlMap<string, Cached>;

  constructor(private readonly opts: MtaStsOptions) {
    this.cache = new TtlMap(opts.maxEntries ?? 10_000, opts.now ?? Date.now);
  }

  async policy(domain: string): Promise<MtaStsPolicy | undefined> {
    const key = domain.toLowerCase();
    const valid = this.cache.get(key);
    let id: string | undefined;
    try {
      id = policyId(await this.opts.txt(`_mta-sts.${key}`));
    } catch (err) {
      if (!(err instanceof DnsError && err.missing)) return valid?.policy;
    }
    if (id === undefined) return valid?.policy;
    if (valid && valid.id === id) return valid.policy;
    let policy: MtaStsPolicy | undefined;
    try {
      policy = parsePolicy(await this.opts.fetch(key));
    } catch {
      policy = undefined;
    }
    if (!policy) return valid?.policy;
    this.cache.set(key, { id, policy }, policy.maxAgeSeconds * 1000);
    return policy;
  }
}

export interface PolicyFetchOptions {
  readonly timeoutMs: number;
  /** Resolves `mta-sts.<domain>` (the engine's DNS client, so its servers apply). */
  readonly lookup?: LookupFunction;
  /** Trust anchors instead of the system's (tests). */
  readonly ca?: string;
  /** 443 except in tests. */
  readonly port?: number;
}

/**
 * RFC 8461 3.3: GET over HTTPS with a certificate valid for `mta-sts.<domain>`, status 200 only,
 * redirects not followed, a time limit and a size limit.
 */
export function fetchPolicyText(domain: string, opts: PolicyFetchOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const host = `mta-sts.${domain}`;
    const req = request(
      { host, servername: host, port: opts.port ?? 443, path: '/.well-known/mta-sts.txt', method: 'GET', ca: opts.ca, lookup: opts.lookup, timeout: opts.timeoutMs, headers: { 'user-agent': 'Darwin Mail' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`policy fetch from ${host}: HTTP ${res.statusCode}`));
          return;
        }
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_POLICY_BYTES) req.destroy(new Error(`policy from ${host} larger than ${MAX_POLICY_BYTES} bytes`));
          else parts.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`policy fetch from ${host} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** A `lookup` for node:https over the engine's DNS client (A records). */
export function lookupVia(a: (name: string) => Promise<string[]>): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void) => {
    a(hostname).then(
      (addresses) => {
        if (addresses.length === 0) callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENODATA' }), '');
        else if (options.all) callback(null, addresses.map((address) => ({ address, family: 4 })));
        else callback(null, addresses[0]!, 4);
      },
      (err: Error) => callback(err, ''),
    );
  }) as unknown as LookupFunction;
}
