import { promises as dns } from 'node:dns';

/** mailauth's resolver shape: `dns.promises.resolve(name, rrtype)`. */
export type DnsResolve = (name: string, rrtype: string) => Promise<never>;

export interface DnsResolverOptions {
  /** `ip` or `ip:port` entries; default: the system's servers. */
  readonly servers?: readonly string[];
  /** Time limit of one query. */
  readonly timeoutMs: number;
  /** How long answers (and "no such name") are reused. Default 60 s. */
  readonly cacheTtlMs?: number;
  readonly maxEntries?: number;
}

/** Answers that mean "the name or record does not exist": cached like an answer. */
const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);

interface Entry {
  readonly expires: number;
  readonly value?: unknown;
  readonly error?: Error;
}

/**
 * The DNS resolver used by sender verification (SPF, DKIM, DMARC, ARC): node:dns with our
 * servers, one try with a time limit per query (so a dead server costs at most the limit, and the
 * check reports a temporary error instead of hanging), and a small cache, because the same sender
 * domains, keys and policies are asked for again and again.
 */
export function createDnsResolver(opts: DnsResolverOptions): DnsResolve {
  const resolver = new dns.Resolver({ timeout: opts.timeoutMs, tries: 1 });
  if (opts.servers && opts.servers.length > 0) resolver.setServers([...opts.servers]);
  const ttl = opts.cacheTtlMs ?? 60_000;
  const max = opts.maxEntries ?? 10_000;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<unknown>>();

  const query = async (name: string, rrtype: string): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`DNS query for ${name} ${rrtype} timed out`), { code: 'ETIMEOUT' })), opts.timeoutMs + 250);
    });
    try {
      return await Promise.race([resolver.resolve(name, rrtype), limit]);
    } finally {
      clearTimeout(timer);
    }
  };

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
      p = query(name, rrtype);
      inflight.set(key, p);
      p.then(
        (value) => remember(key, { expires: Date.now() + ttl, value }),
        (error: NodeJS.ErrnoException) => {
          if (error.code && NEGATIVE.has(error.code)) remember(key, { expires: Date.now() + ttl, error });
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
