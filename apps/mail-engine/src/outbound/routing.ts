import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { DnsError, type DnsClient } from '@darwin/core';
import { mxMatches, type MtaStsResolver } from './mta-sts.js';

/** A host to try, with its addresses in the order to try them. */
export interface Hop {
  /** Host name (for logs, the DSN's Remote-MTA and the TLS server name), or an IP literal. */
  readonly host: string;
  readonly port: number;
  readonly addresses: readonly string[];
  /** MX preference, when the hop came from an MX record. */
  readonly preference?: number;
  /** SMTP AUTH credentials (the smarthost's): the hop is then used over TLS only. */
  readonly auth?: HopAuth;
  /** The domain's MTA-STS policy is `enforce`: STARTTLS with a certificate valid for `host`, or nothing. */
  readonly verifiedTls?: boolean;
}

export interface HopAuth {
  readonly user: string;
  readonly pass: string;
}

export type Route =
  | { readonly kind: 'hops'; readonly via: 'transport' | 'smarthost' | 'mx' | 'implicit-mx'; readonly hops: readonly Hop[] }
  | { readonly kind: 'fail'; readonly permanent: boolean; readonly status: string; readonly message: string };

export interface NextHopConfig {
  readonly host: string;
  readonly port: number;
}

export interface RouterOptions {
  /** Queries MX/A/AAAA (configured servers and timeout). */
  readonly resolver: Pick<DnsClient, 'mx' | 'a' | 'aaaa'>;
  /** Domain -> next hop, replacing DNS for that domain (DARWIN_TRANSPORT_MAP). */
  readonly transportMap?: Readonly<Record<string, NextHopConfig>>;
  /** Next hop for every other domain (DARWIN_SMARTHOST). */
  readonly smarthost?: NextHopConfig;
  /** Credentials for the smarthost (DARWIN_SMARTHOST_USER / _PASSWORD). */
  readonly smarthostAuth?: HopAuth;
  /** Resolves names of configured next hops (default: the system's getaddrinfo, so /etc/hosts works). */
  readonly lookup?: (host: string) => Promise<string[]>;
  /** At most this many addresses are tried per attempt (Postfix smtp_mx_address_limit). */
  readonly maxAddresses?: number;
  /** Port of MX hosts; 25 except in tests that cannot listen there. */
  readonly mxPort?: number;
  /** MTA-STS policies of recipient domains (RFC 8461); applied to routes through DNS only. */
  readonly mtaSts?: Pick<MtaStsResolver, 'policy'>;
}

function code(err: unknown): string {
  return (err as { code?: string }).code ?? 'EUNKNOWN';
}

/**
 * Where mail for a domain goes: the transport map, else the smarthost, else the domain's MX hosts
 * in preference order (equal preferences shuffled), else its own A/AAAA records (RFC 5321 5.1
 * implicit MX). A null MX (RFC 7505) or a domain that does not exist fails permanently; DNS
 * trouble (SERVFAIL, timeouts) fails temporarily.
 */
export class Router {
  private readonly lookup: (host: string) => Promise<string[]>;
  private readonly maxAddresses: number;
  private readonly mxPort: number;

  constructor(private readonly opts: RouterOptions) {
    this.lookup = opts.lookup ?? (async (host) => (await dns.lookup(host, { all: true })).map((a) => a.address));
    this.maxAddresses = opts.maxAddresses ?? 5;
    this.mxPort = opts.mxPort ?? 25;
  }

  /**
   * The key of the per-destination concurrency limit: the configured next hop when one applies
   * (all its domains share it), else the recipient domain.
   */
  destinationOf(domain: string): string {
    const hop = this.mapped(domain) ?? this.opts.smarthost;
    return hop ? `[${hop.host}]:${hop.port}` : domain;
  }

  async route(domain: string): Promise<Route> {
    const mapped = this.mapped(domain);
    if (mapped) return this.configured(mapped, 'transport');
    if (this.opts.smarthost) return this.configured(this.opts.smarthost, 'smarthost');
    return this.withPolicy(ascii(domain), await this.viaDns(ascii(domain)));
  }

  /**
   * RFC 8461 5: under an `enforce` policy only the MX hosts that match it are used, each over
   * verified TLS; none matching is a temporary failure (the policy or the MX records may be
   * fixed). `testing` and `none` change nothing (we send no TLS reports).
   */
  private async withPolicy(domain: string, route: Route): Promise<Route> {
    if (route.kind !== 'hops' || !this.opts.mtaSts) return route;
    const policy = await this.opts.mtaSts.policy(domain);
    if (!policy || policy.mode !== 'enforce') return route;
    const hops = route.hops.filter((h) => mxMatches(policy.mx, h.host)).map((h) => ({ ...h, verifiedTls: true }));
    if (hops.length === 0) {
      return { kind: 'fail', permanent: false, status: '4.7.5', message: `No MX host of ${domain} matches its MTA-STS policy (mx: ${policy.mx.join(', ')})` };
    }
    return { ...route, hops };
  }

  private mapped(domain: string): NextHopConfig | undefined {
    const map = this.opts.transportMap;
    return map ? (map[domain] ?? map[ascii(domain)]) : undefined;
  }

  private async configured(hop: NextHopConfig, via: 'transport' | 'smarthost'): Promise<Route> {
    try {
      const addresses = isIP(hop.host) ? [hop.host] : await this.lookup(hop.host);
      if (addresses.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
      const auth = via === 'smarthost' ? this.opts.smarthostAuth : undefined;
      return { kind: 'hops', via, hops: [{ host: hop.host, port: hop.port, addresses: addresses.slice(0, this.maxAddresses), ...(auth ? { auth } : {}) }] };
    } catch (err) {
      return { kind: 'fail', permanent: false, status: '4.4.3', message: `Cannot resolve the ${via} host ${hop.host}: ${code(err)}` };
    }
  }

  private async viaDns(domain: string): Promise<Route> {
    let mx: { priority: number; exchange: string }[];
    try {
      mx = await this.opts.resolver.mx(domain);
    } catch (err) {
      const failure = DnsError.from(err);
      if (failure.kind === 'NXDOMAIN') return { kind: 'fail', permanent: true, status: '5.1.2', message: `Domain ${domain} does not exist (NXDOMAIN)` };
      if (failure.kind === 'NODATA') return this.implicitMx(domain);
      return { kind: 'fail', permanent: false, status: '4.4.3', message: `DNS lookup of the MX records of ${domain} failed: ${failure.code}` };
    }
    if (mx.length === 0) return this.implicitMx(domain);
    const real = mx.filter((r) => r.exchange !== '' && r.exchange !== '.');
    // RFC 7505: a single "0 ." record says the domain accepts no mail at all.
    if (real.length === 0) return { kind: 'fail', permanent: true, status: '5.1.10', message: `Domain ${domain} does not accept mail (null MX, RFC 7505)` };

    const ordered = shuffleWithinPreference(real);
    const hops: Hop[] = [];
    let budget = this.maxAddresses;
    let lastError = '';
    for (const r of ordered) {
      if (budget <= 0) break;
      const host = r.exchange.toLowerCase().replace(/\.$/, '');
      const found = await this.addressesOf(host);
      if ('error' in found) {
        lastError = found.error;
        continue;
      }
      const addresses = found.addresses.slice(0, budget);
      budget -= addresses.length;
      hops.push({ host, port: this.mxPort, addresses, preference: r.priority });
    }
    if (hops.length === 0) return { kind: 'fail', permanent: false, status: '4.4.3', message: `No MX host of ${domain} could be resolved (${lastError})` };
    return { kind: 'hops', via: 'mx', hops };
  }

  private async implicitMx(domain: string): Promise<Route> {
    const found = await this.addressesOf(domain);
    if ('addresses' in found) return { kind: 'hops', via: 'implicit-mx', hops: [{ host: domain, port: this.mxPort, addresses: found.addresses.slice(0, this.maxAddresses) }] };
    if (found.missing) return { kind: 'fail', permanent: true, status: '5.4.4', message: `Domain ${domain} has no MX, A or AAAA records` };
    return { kind: 'fail', permanent: false, status: '4.4.3', message: `DNS lookup of ${domain} failed: ${found.error}` };
  }

  /** A then AAAA records (IPv4 first: more often reachable); `missing` when neither exists. */
  private async addressesOf(host: string): Promise<{ addresses: string[] } | { error: string; missing: boolean }> {
    if (isIP(host)) return { addresses: [host] };
    const [v4, v6] = await Promise.allSettled([this.opts.resolver.a(host), this.opts.resolver.aaaa(host)]);
    const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (addresses.length > 0) return { addresses };
    // An empty answer counts as NODATA.
    const errors = [v4, v6].map((r) => (r.status === 'rejected' ? DnsError.from(r.reason) : undefined));
    return { error: `${host}: ${errors.map((e) => e?.code ?? 'ENODATA').join('/')}`, missing: errors.every((e) => !e || e.missing) };
  }
}

/** DNS knows names in their IDNA (punycode) form only; SMTPUTF8 recipients may arrive in Unicode. */
function ascii(domain: string): string {
  return domainToASCII(domain) || domain;
}

function shuffleWithinPreference<T extends { priority: number }>(records: readonly T[]): T[] {
  const byPref = new Map<number, T[]>();
  for (const r of records) byPref.set(r.priority, [...(byPref.get(r.priority) ?? []), r]);
  return [...byPref.keys()]
    .sort((a, b) => a - b)
    .flatMap((p) => {
      const group = byPref.get(p)!;
      for (let i = group.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [group[i], group[j]] = [group[j]!, group[i]!];
      }
      return group;
    });
}
