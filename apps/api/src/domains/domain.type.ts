import { createPublicKey } from 'node:crypto';
import { domainToUnicode } from 'node:url';
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DomainEntity } from '@darwin/db';
import { Connection } from '../common/connection.js';
import { dkimRecordValue } from './dkim/dkim-key.js';
import type { DnsCheckResults } from './dns/dns-checker.js';

export enum DomainStatusValue {
  active = 'active',
  suspended = 'suspended',
}
registerEnumType(DomainStatusValue, { name: 'DomainStatus' });

export enum DnsRecordKindValue {
  MX = 'MX',
  SPF = 'SPF',
  DKIM = 'DKIM',
  DMARC = 'DMARC',
  MTA_STS = 'MTA_STS',
  MTA_STS_HOST = 'MTA_STS_HOST',
  TLS_RPT = 'TLS_RPT',
  AUTOCONFIG = 'AUTOCONFIG',
  AUTODISCOVER = 'AUTODISCOVER',
}
registerEnumType(DnsRecordKindValue, { name: 'DnsRecordKind' });

export enum DnsCheckStatusValue {
  unchecked = 'unchecked',
  ok = 'ok',
  missing = 'missing',
  mismatch = 'mismatch',
  error = 'error',
}
registerEnumType(DnsCheckStatusValue, {
  name: 'DnsCheckStatus',
  description: 'unchecked: never verified; missing: no such record; mismatch: a record exists with another value; error: the lookup failed.',
});

@ObjectType({ description: 'The DKIM key mail from this domain is signed with (the private half never leaves the server).' })
export class DkimKey {
  @Field(() => String)
  selector!: string;

  @Field(() => String, { description: 'Name of the TXT record: <selector>._domainkey.<domain>.' })
  recordName!: string;

  @Field(() => String, { description: 'Value of the TXT record: v=DKIM1; k=rsa; p=...' })
  recordValue!: string;

  @Field(() => Int)
  bits!: number;
}

@ObjectType({ description: 'One DNS record the domain needs, with the exact value to publish and what the last check found.' })
export class DnsRecord {
  @Field(() => DnsRecordKindValue)
  kind!: DnsRecordKindValue;

  @Field(() => String, { description: 'MX, TXT or CNAME.' })
  type!: string;

  @Field(() => String, { description: 'Fully qualified name, without the trailing dot.' })
  name!: string;

  @Field(() => String, { description: 'Exactly what to publish.' })
  value!: string;

  @Field(() => Boolean, { description: 'Required records decide dnsVerified; the others are recommended.' })
  required!: boolean;

  @Field(() => String)
  purpose!: string;

  @Field(() => DnsCheckStatusValue)
  status!: DnsCheckStatusValue;

  @Field(() => [String], { description: 'What DNS answered at the last check.' })
  found!: string[];

  @Field(() => GraphQLISODateTime, { nullable: true })
  checkedAt!: Date | null;
}

@ObjectType({ description: 'A mail domain hosted for a tenant.' })
export class Domain {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Lower-case ASCII; internationalised names in their IDNA (xn--) form.' })
  name!: string;

  @Field(() => String, { description: 'The name as people read it (Unicode for IDNA names).' })
  displayName!: string;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => DomainStatusValue)
  status!: DomainStatusValue;

  @Field(() => String, { nullable: true })
  suspensionReason!: string | null;

  @Field(() => DkimKey, { nullable: true })
  dkim!: DkimKey | null;

  @Field(() => Boolean, { description: 'Every required DNS record was found with the right value at the last check.' })
  dnsVerified!: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true })
  dnsCheckedAt!: Date | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  /** Not in the schema: what the dnsRecords field is computed from. */
  dnsFacts!: { selector: string | null; publicKeyPem: string | null; results: DnsCheckResults };
}

@ObjectType()
export class DomainConnection extends Connection(Domain) {}

@ObjectType({ description: 'What deleting a domain removed. Outbound mail already queued from its mailboxes is still delivered.' })
export class DomainDeletion {
  @Field(() => ID)
  domainId!: string;

  @Field(() => Int)
  mailboxesDeleted!: number;

  @Field(() => Int)
  aliasesDeleted!: number;

  @Field(() => Float)
  messagesDeleted!: number;

  @Field(() => Float)
  bytesDeleted!: number;
}

export const REQUIRED_KINDS: readonly DnsRecordKindValue[] = [DnsRecordKindValue.MX, DnsRecordKindValue.SPF, DnsRecordKindValue.DKIM, DnsRecordKindValue.DMARC];

/** True when every required record was ok at the last check. */
export function isDnsVerified(results: DnsCheckResults | Record<string, unknown>): boolean {
  return REQUIRED_KINDS.every((k) => (results as DnsCheckResults)[k]?.status === 'ok');
}

function dkimOf(e: DomainEntity): DkimKey | null {
  if (!e.dkimSelector || !e.dkimPublicKey) return null;
  const value = dkimRecordValue(e.dkimPublicKey);
  const bits = createPublicKey(e.dkimPublicKey).asymmetricKeyDetails?.modulusLength ?? 0;
  return { selector: e.dkimSelector, recordName: `${e.dkimSelector}._domainkey.${e.name}`, recordValue: value, bits };
}

export function toDomain(e: DomainEntity): Domain {
  const results = (e.dnsStatus ?? {}) as DnsCheckResults;
  return {
    id: e.id,
    name: e.name,
    displayName: domainToUnicode(e.name) || e.name,
    tenantId: e.tenantId,
    status: e.status as DomainStatusValue,
    suspensionReason: e.suspensionReason,
    dkim: dkimOf(e),
    dnsVerified: isDnsVerified(results),
    dnsCheckedAt: e.dnsCheckedAt,
    createdAt: e.createdAt,
    dnsFacts: { selector: e.dkimSelector, publicKeyPem: e.dkimPublicKey, results },
  };
}

/** What the audit log keeps about a domain (never the DKIM private key). */
export function domainAuditView(e: DomainEntity): Record<string, unknown> {
  return { id: e.id, name: e.name, tenantId: e.tenantId, status: e.status, suspensionReason: e.suspensionReason, dkimSelector: e.dkimSelector };
}
