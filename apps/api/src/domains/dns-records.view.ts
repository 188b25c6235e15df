import type { DnsCheckResults } from './dns/dns-checker.js';
import type { ExpectedRecord } from './dns/expected-records.js';
import type { DnsCheckStatusValue, DnsRecord, DnsRecordKindValue } from './domain.type.js';

/** The records a domain needs, each with what its last check found (GraphQL and REST both show this). */
export function toDnsRecords(expected: readonly ExpectedRecord[], results: DnsCheckResults): DnsRecord[] {
  return expected.map((r) => {
    const check = results[r.kind];
    return {
      ...r,
      kind: r.kind as DnsRecordKindValue,
      status: (check?.status ?? 'unchecked') as DnsCheckStatusValue,
      found: check?.found ?? [],
      checkedAt: check ? new Date(check.checkedAt) : null,
    };
  });
}
