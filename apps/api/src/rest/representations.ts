import type { DomainEntity, MailboxEntity, PlanEntity, TenantEntity } from '@darwin/db';
import { toDnsRecords } from '../domains/dns-records.view.js';
import type { DnsCheckResults } from '../domains/dns/dns-checker.js';
import type { ExpectedRecord } from '../domains/dns/expected-records.js';
import { toDomain } from '../domains/domain.type.js';
import { toPlan } from '../plans/plan.type.js';

/** REST representations: plain JSON objects exactly as rest-schemas.ts describes them. */
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function restPlan(e: PlanEntity) {
  const p = toPlan(e);
  return { ...p, createdAt: p.createdAt.toISOString() };
}

export function restTenant(e: TenantEntity) {
  if (!e.plan) throw new Error('tenant loaded without its plan');
  return {
    id: e.id,
    name: e.name,
    status: e.status,
    suspensionReason: e.suspensionReason,
    externalId: e.externalId,
    planId: e.planId,
    planName: e.plan.name,
    createdAt: e.createdAt.toISOString(),
  };
}

export function restDomain(e: DomainEntity, records: (d: DomainEntity) => ExpectedRecord[]) {
  const d = toDomain(e);
  return {
    id: d.id,
    name: d.name,
    displayName: d.displayName,
    tenantId: d.tenantId,
    status: d.status,
    suspensionReason: d.suspensionReason,
    dkim: d.dkim,
    dnsVerified: d.dnsVerified,
    dnsCheckedAt: iso(d.dnsCheckedAt),
    dnsRecords: toDnsRecords(records(e), (e.dnsStatus ?? {}) as DnsCheckResults).map((r) => ({ ...r, checkedAt: iso(r.checkedAt) })),
    createdAt: d.createdAt.toISOString(),
  };
}

export function restMailbox(e: MailboxEntity) {
  return {
    id: e.id,
    address: e.address,
    localPart: e.localPart,
    domainId: e.domainId,
    tenantId: e.tenantId,
    displayName: e.displayName,
    quotaBytes: e.quotaBytes,
    usedBytes: e.usedBytes,
    usedMessages: e.usedMessages,
    loginSuspended: e.loginSuspended,
    sendSuspended: e.sendSuspended,
    receiveSuspended: e.receiveSuspended,
    suspensionReason: e.suspensionReason,
    outboundBlockedAt: iso(e.outboundBlockedAt),
    createdAt: e.createdAt.toISOString(),
  };
}
