import { DnsError, type DnsClient } from '@darwin/core';

/** mailauth's resolver shape: `dns.promises.resolve(name, rrtype)`. */
export type DnsResolve = (name: string, rrtype: string) => Promise<never>;

export interface DnsCacheOptions {
  /** How long answers (and "no such name or record") are reused. Default 60 s. */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
}

interface Entry {
  readonly expires: number;
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
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<unknown>>();

  return (async (name: string, rrtype: string) => {
    const key = `${rrtype.toUpperCase()} ${name.toLowerCase().replace(/\.$/, '')}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.expires > now) {
      if (hit.error) throw hit.error;
      return hit.value;
    }
    let p = inflight.get(key);
    if (!p) {
      p = client.resolve(name, rrtype);
      inflight.set(key, p);
      p.then(
        (value) => remember(key, { expires: Date.now() + ttl, value }),
        (error: unknown) => {
          if (error instanceof DnsError && error.missing) remember(key, { expires: Date.now() + ttl, error });
        },
      ).finally(() => inflight.delete(key));
    }
    return p;
  }) as DnsResolve;

  function remember(key: string, e: Entry): void {
    if (cache.size >= max) {
      const now = Date.now();
      for (const [k, v] of cache) if (v.expires <= now) cache.delete(k);
      if (cache.size >= max) cache.clear();
    }
    cache.set(key, e);
  }
}
