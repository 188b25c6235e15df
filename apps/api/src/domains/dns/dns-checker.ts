import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '@darwin/config';
import { DnsClient, DnsError } from '@darwin/core';
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
 * Resolves what a domain published and compares it with what it needs, through the engine's DNS
 * client (libs/core): the resolvers of DARWIN_DNS_SERVERS (tests point it at a local fake DNS
 * server), else the system's.
 */
@Injectable()
export class DnsChecker {
  private readonly dns: DnsClient;

  constructor(@Inject(CONFIG) config: Config) {
    this.dns = DnsClient.fromConfig(config);
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
          const mx = await this.dns.mx(record.name);
          const found = mx.map((r) => `${r.priority} ${bare(r.exchange)}.`);
          return { status: mx.some((r) => bare(r.exchange) === host) ? 'ok' : 'mismatch', found, checkedAt };
        }
        case 'AUTOCONFIG':
        case 'AUTODISCOVER':
        case 'MTA_STS_HOST': {
          const targets = (await this.dns.cname(record.name)).map(bare);
          return { status: targets.includes(host) ? 'ok' : 'mismatch', found: targets.map((t) => `${t}.`), checkedAt };
        }
        default:
          return await this.checkTxt(record, host, checkedAt);
      }
    } catch (err) {
      const e = DnsError.from(err);
      return e.missing ? { status: 'missing', found: [], checkedAt } : { status: 'error', found: [e.code], checkedAt };
    }
  }

  private async checkTxt(record: ExpectedRecord, host: string, checkedAt: string): Promise<DnsCheckResult> {
    const all = (await this.dns.txt(record.name)).map((chunks) => chunks.join(''));
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
