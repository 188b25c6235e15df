import { DnsError, TtlMap, type DnsClient } from '@darwin/core';

/** mailauth's resolver shape: `dns.promises.resolve(name, rrtype)`. */
export type DnsResolve = (name: string, rrtype: string) => Promise<never>;

export interface DnsCacheOptions {
  /** How long answers (and "no such name or record") are reused. Default 60 s. */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
}

interface Entry {
  readonly value?: unknown;
  readonly error?: Error;
}

/**
 * The client's `resolve` with a small cache, for sender verification (SPF, DKIM, DMARC, ARC), which
 * asks for the same sender domains, keys and policies again and again: answers and NXDOMAIN/NODATA
 * are reused for the TTL, other failures are not; concurrent questions for one record share a query.
 */
export function cachedResolve(client: Pick<DnsClient, 'resolve'>, opts: DnsCacheOptions = {}): DnsResolve {
  const ttl = opts.ttlMs ?? 60_000;
  const max = opts.maxEntries ?? 10_000;
  const cache = new TtlMap<string, Entry>(max);
  const inflight = new Map<string, Promise<unknown>>();

  return (async (name: string, rrtype: string) => {
    const key = `${rrtype.toUpperCase()} ${name.toLowerCase().replace(/\.$/, '')}`;
    const hit = cache.get(key);
    if (hit) {
      if (hit.error) throw hit.error;
      return hit.value;
    }
    let p = inflight.get(key);
    if (!p) {
      p = client.resolve(name, rrtype);
      inflight.set(key, p);
      p.then(
        (value) => cache.set(key, { value }, ttl),
        (error: unknown) => {
          if (error instanceof DnsError && error.missing) cache.set(key, { error }, ttl);
        },
      ).finally(() => inflight.delete(key));
    }
    return p;
  }) as DnsResolve;
}
