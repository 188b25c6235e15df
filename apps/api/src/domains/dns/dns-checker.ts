import { Resolver } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '@darwin/config';
import { CONFIG } from '../../common/tokens.js';
import type { DnsRecordKind, ExpectedRecord } from './expected-records.js';

export type DnsCheckStatus = 'ok' | 'missing' | 'mismatch' | 'error';

export interface DnsCheckResult {
  readonly status: DnsCheckStatus;
  /** What DNS answered (at most a few values), for the console to show next to what is expected. */
  readonly found: string[];
  /** ISO time of the check. */
  readonly checkedAt: string;
}

export type DnsCheckResults = Partial<Record<DnsRecordKind, DnsCheckResult>>;

/** The lookups the checker needs (node:dns's Resolver has them; tests could give another). */
export interface DnsLookups {
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolveTxt(name: string): Promise<string[][]>;
  resolveCname(name: string): Promise<string[]>;
}

const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN', 'ENONAME']);
const bare = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');
const squash = (s: string) => s.replace(/\s+/g, '');

/** `v=DKIM1; k=rsa; p=...` -> { v, k, p } (RFC 6376 tag=value list). */
export function tagList(record: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) tags[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return tags;
}

/**
 * Resolves what a domain published and compares it with what it needs. Asks the resolvers of
 * DARWIN_DNS_SERVERS (libs/config; tests point it at a local fake DNS server), else the system's.
 */
@Injectable()
export class DnsChecker {
  private readonly lookups: DnsLookups;

  constructor(@Inject(CONFIG) config: Config) {
    const resolver = new Resolver({ timeout: config.dnsTimeout, tries: 2 });
    if (config.dnsServers && config.dnsServers.length > 0) resolver.setServers([...config.dnsServers]);
    this.lookups = resolver;
  }

  async checkAll(records: readonly ExpectedRecord[], hostname: string): Promise<DnsCheckResults> {
    const results = await Promise.all(records.map(async (r) => [r.kind, await this.check(r, hostname)] as const));
    return Object.fromEntries(results);
  }

  async check(record: ExpectedRecord, hostname: string): Promise<DnsCheckResult> {
    const checkedAt = new Date().toISOString();
    const host = bare(hostname);
    try {
      switch (record.kind) {
        case 'MX': {
          const mx = await this.lookups.resolveMx(record.name);
          const found = mx.map((r) => `${r.priority} ${bare(r.exchange)}.`);
          return { status: mx.some((r) => bare(r.exchange) === host) ? 'ok' : 'mismatch', found, checkedAt };
        }
        case 'AUTOCONFIG':
        case 'AUTODISCOVER':
        case 'MTA_STS_HOST': {
          const targets = (await this.lookups.resolveCname(record.name)).map(bare);
          return { status: targets.includes(host) ? 'ok' : 'mismatch', found: targets.map((t) => `${t}.`), checkedAt };
        }
        default:
          return await this.checkTxt(record, host, checkedAt);
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      return { status: NO_RECORD.has(code) ? 'missing' : 'error', found: NO_RECORD.has(code) ? [] : [code || 'lookup failed'], checkedAt };
    }
  }

  private async checkTxt(record: ExpectedRecord, host: string, checkedAt: string): Promise<DnsCheckResult> {
    const all = (await this.lookups.resolveTxt(record.name)).map((chunks) => chunks.join(''));
    const marker = { SPF: 'v=spf1', DKIM: 'v=dkim1', DMARC: 'v=dmarc1', MTA_STS: 'v=stsv1', TLS_RPT: 'v=tlsrptv1' }[record.kind as 'SPF'];
    // DKIM records may omit v= (it is optional there); the others must start with their version.
    const relevant = all.filter((t) => t.trim().toLowerCase().startsWith(marker) || (record.kind === 'DKIM' && /(^|;)\s*p=/i.test(t)));
    const found = relevant.slice(0, 5);
    if (relevant.length === 0) return { status: 'missing', found: [], checkedAt };
    if (relevant.length > 1) return { status: 'mismatch', found, checkedAt }; // SPF and DMARC: more than one is an error
    const value = relevant[0]!;
    let ok: boolean;
    switch (record.kind) {
      case 'SPF': {
        const terms = value.toLowerCase().split(/\s+/);
        ok = squash(value) === squash(record.value) || terms.some((t) => ['mx', '+mx', `a:${host}`, `+a:${host}`, `include:${host}`].includes(t));
        break;
      }
      case 'DKIM':
        ok = squash(tagList(value).p ?? '') === squash(tagList(record.value).p ?? '');
        break;
      case 'DMARC':
        ok = ['none', 'quarantine', 'reject'].includes((tagList(value).p ?? '').toLowerCase());
        break;
      case 'MTA_STS':
        ok = squash(value) === squash(record.value);
        break;
      default:
        ok = /rua=/i.test(value);
    }
    return { status: ok ? 'ok' : 'mismatch', found, checkedAt };
  }
}
