import { createHash } from 'node:crypto';
import { dkimRecordValue } from '../dkim/dkim-key.js';

/** Which DNS records a hosted domain needs; `required` ones decide whether the domain is verified. */
export type DnsRecordKind = 'MX' | 'SPF' | 'DKIM' | 'DMARC' | 'MTA_STS' | 'MTA_STS_HOST' | 'TLS_RPT' | 'AUTOCONFIG' | 'AUTODISCOVER';

export interface ExpectedRecord {
  readonly kind: DnsRecordKind;
  readonly type: 'MX' | 'TXT' | 'CNAME';
  /** Fully qualified, no trailing dot. */
  readonly name: string;
  /** Exactly what to publish (for MX: `<preference> <host>.`; for CNAME: `<host>.`). */
  readonly value: string;
  readonly required: boolean;
  readonly purpose: string;
}

export interface DomainDnsFacts {
  readonly domain: string;
  /** The engine's public host name (DARWIN_HOSTNAME): MX target and sending host. */
  readonly hostname: string;
  readonly dkim: { readonly selector: string; readonly publicKeyPem: string } | null;
}

export const MX_PREFERENCE = 10;

/** The MTA-STS policy the API serves at https://mta-sts.<domain>/.well-known/mta-sts.txt (RFC 8461). */
export function mtaStsPolicy(hostname: string): string {
  return `version: STSv1\r\nmode: testing\r\nmx: ${hostname}\r\nmax_age: 604800\r\n`;
}

/** The policy id changes exactly when the policy does. */
export function mtaStsId(hostname: string): string {
  return createHash('sha256').update(mtaStsPolicy(hostname)).digest('hex').slice(0, 20);
}

/** Every record the domain needs, with exact values, in the order a console shows them. */
export function expectedRecords(f: DomainDnsFacts): ExpectedRecord[] {
  const d = f.domain;
  const h = f.hostname;
  const records: ExpectedRecord[] = [
    { kind: 'MX', type: 'MX', name: d, value: `${MX_PREFERENCE} ${h}.`, required: true, purpose: 'Receive mail for the domain.' },
    { kind: 'SPF', type: 'TXT', name: d, value: `v=spf1 mx a:${h} -all`, required: true, purpose: 'Authorise the platform to send mail for the domain (RFC 7208).' },
  ];
  if (f.dkim) {
    records.push({
      kind: 'DKIM',
      type: 'TXT',
      name: `${f.dkim.selector}._domainkey.${d}`,
      value: dkimRecordValue(f.dkim.publicKeyPem),
      required: true,
      purpose: 'Public key that verifies the DKIM signature on outgoing mail (RFC 6376).',
    });
  }
  records.push(
    { kind: 'DMARC', type: 'TXT', name: `_dmarc.${d}`, value: 'v=DMARC1; p=quarantine; adkim=r; aspf=r', required: true, purpose: 'Tell receivers what to do with mail that fails SPF and DKIM (RFC 7489).' },
    { kind: 'MTA_STS', type: 'TXT', name: `_mta-sts.${d}`, value: `v=STSv1; id=${mtaStsId(h)}`, required: false, purpose: 'Announce the MTA-STS policy: senders must use TLS (RFC 8461).' },
    { kind: 'MTA_STS_HOST', type: 'CNAME', name: `mta-sts.${d}`, value: `${h}.`, required: false, purpose: 'Where the MTA-STS policy is fetched (needs a TLS certificate for this name).' },
    { kind: 'TLS_RPT', type: 'TXT', name: `_smtp._tls.${d}`, value: `v=TLSRPTv1; rua=mailto:postmaster@${d}`, required: false, purpose: 'Where senders report TLS problems (RFC 8460).' },
    { kind: 'AUTOCONFIG', type: 'CNAME', name: `autoconfig.${d}`, value: `${h}.`, required: false, purpose: 'Thunderbird and others find the server settings here.' },
    { kind: 'AUTODISCOVER', type: 'CNAME', name: `autodiscover.${d}`, value: `${h}.`, required: false, purpose: 'Outlook finds the server settings here.' },
  );
  return records;
}
