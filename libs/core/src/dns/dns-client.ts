import { promises as dns, type MxRecord } from 'node:dns';
import { DnsError } from './dns-error.js';

export interface DnsClientOptions {
  /** `ip` or `ip:port` entries (DARWIN_DNS_SERVERS); default: the system's servers. */
  readonly servers?: readonly string[];
  /** Time limit of one try (DARWIN_DNS_TIMEOUT). */
  readonly timeoutMs: number;
  /**
   * For lookups a client is waiting for (sender checks): one try, and ETIMEOUT once the time limit
   * (+250 ms) has passed even when c-ares has not given up yet (it may take about twice its limit),
   * so a dead server costs at most the limit. Otherwise (routing, in the background): two tries
   * per server, on c-ares' own timing.
   */
  readonly strict?: boolean;
}

/**
 * DNS lookups of the engine (sender checks, routing) and of the API (domain verification):
 * node:dns (c-ares) with the configured servers and time limit, and a DnsError (typed NXDOMAIN,
 * NODATA, SERVFAIL, TIMEOUT) for every failure.
 */
export class DnsClient {
  private readonly resolver: dns.Resolver;
  private readonly deadlineMs?: number;

  constructor(opts: DnsClientOptions) {
    this.resolver = new dns.Resolver({ timeout: opts.timeoutMs, tries: opts.strict ? 1 : 2 });
    if (opts.servers && opts.servers.length > 0) this.resolver.setServers([...opts.servers]);
    if (opts.strict) this.deadlineMs = opts.timeoutMs + 250;
  }

  /** From DARWIN_DNS_SERVERS and DARWIN_DNS_TIMEOUT (the fields of libs/config's Config). */
  static fromConfig(config: { readonly dnsServers?: readonly string[]; readonly dnsTimeout: number }, opts: Pick<DnsClientOptions, 'strict'> = {}): DnsClient {
    return new DnsClient({ servers: config.dnsServers, timeoutMs: config.dnsTimeout, ...opts });
  }

  mx(name: string): Promise<MxRecord[]> {
    return this.query(name, 'MX', () => this.resolver.resolveMx(name));
  }

  a(name: string): Promise<string[]> {
    return this.query(name, 'A', () => this.resolver.resolve4(name));
  }

  aaaa(name: string): Promise<string[]> {
    return this.query(name, 'AAAA', () => this.resolver.resolve6(name));
  }

  /** Each record as its character-strings (join them for the text). */
  txt(name: string): Promise<string[][]> {
    return this.query(name, 'TXT', () => this.resolver.resolveTxt(name));
  }

  cname(name: string): Promise<string[]> {
    return this.query(name, 'CNAME', () => this.resolver.resolveCname(name));
  }

  /** Any record type, answered as node:dns's `resolve` does: mailauth's resolver hook. */
  resolve(name: string, rrtype: string): Promise<unknown> {
    return this.query(name, rrtype, () => this.resolver.resolve(name, rrtype));
  }

  private async query<T>(name: string, rrtype: string, lookup: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.deadlineMs === undefined) return await lookup();
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DnsError(`DNS query for ${name} ${rrtype} timed out`, 'ETIMEOUT')), this.deadlineMs);
      });
      return await Promise.race([lookup(), deadline]);
    } catch (err) {
      throw DnsError.from(err);
    } finally {
      clearTimeout(timer);
    }
  }
}
