import { generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../tools/test-support/fake-dns.js';
import { errorCode, ok, type GqlResponse } from './helpers/graphql-client.js';
import { subscribe } from './helpers/subscribe.js';
import { insertDomain, insertMailbox, insertMessage, insertQueued, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';
import type { DataSource } from '@darwin/db';
import { REST_OPERATIONS } from '../src/rest/rest-operations.js';
import { totpAt } from '../src/auth/totp.js';

/**
 * The isolation sweep. Every query, mutation and subscription in the schema (read by introspection)
 * must have a case here, or the first test fails. Each case is tried:
 *  - without credentials: UNAUTHENTICATED (unless public);
 *  - by tenant B's admin, tenant B's API key, the platform admin acting as B's admin (an
 *    impersonation token) and B's mailbox owner, with tenant A's ids;
 *  - by a mailbox owner of tenant A, with its neighbour's ids (a lesser role inside the tenant);
 * and must answer FORBIDDEN when the role may not call it, NOT_FOUND when it may but the object is
 * not its own, and, for lists and self-service operations, succeed without a trace of A's objects.
 * An operation with several id arguments is tried with each (list filters as aliases of one query,
 * others as `variants`). Afterwards A's rows are byte-for-byte what they were. Finally the platform
 * admin runs every case with A's ids and must reach the objects (no NOT_FOUND or FORBIDDEN): the
 * refusals were about scope. There every mutation must succeed and append an audit_log row naming its
 * action; the self-service and session mutations are run successfully by a fresh operator for the
 * same check, and NOT_AUDITED lists, with reasons, the mutations that deliberately write none.
 */

type RoleName = 'platform_admin' | 'tenant_admin' | 'mailbox_owner';
type Kind = 'target' | 'list' | 'self' | 'public';

interface Victim {
  tenant: string;
  plan: string;
  domain: string;
  domainName: string;
  mailbox: string;
  mailboxAddress: string;
  alias: string;
  operator: string;
  apiKey: string;
  queue: string;
}

interface Case {
  readonly kind: Kind;
  readonly allow: readonly RoleName[];
  readonly doc: string;
  readonly vars?: (v: Victim) => Record<string, unknown>;
  /** Roles the service (not the guard) refuses with FORBIDDEN, e.g. API keys making keys. */
  readonly forbiddenFor?: readonly Actor[];
  /** Positive control by the platform admin: run in this phase (lower first); 0 = not run. */
  readonly phase: number;
  /**
   * Mutations: the audit_log action a successful call appends (the platform run, and for phase 0 the
   * self-service run, check it). A mutation without one must be in NOT_AUDITED.
   */
  readonly audit?: string;
  /** Arranges, behind the API's back, what the platform admin's call needs to succeed. */
  readonly beforePlatform?: (ds: DataSource, v: Victim) => Promise<unknown>;
  /** The same operation with its other id arguments, each tried like the case itself. */
  readonly variants?: readonly Partial<Pick<Case, 'doc' | 'vars' | 'forbiddenFor'>>[];
}

/** The case and its variants, as separate calls. */
const callsOf = (c: Case): Case[] => [c, ...(c.variants ?? []).map((v) => ({ ...c, ...v, variants: undefined }))];

/** Mutations that deliberately write no audit row, and why. */
const NOT_AUDITED: Record<string, string> = {
  // login and refresh are recorded (auth.login, auth.refresh): they start sessions under an identity.
  logout:
    "ends the presenter's own refresh-token family and nothing else (refresh_tokens.revoked_at is its record); it needs no access token, and an unknown token answers false, so a row would attribute a non-event to nobody",
};

type Actor = 'anonymous' | 'b_admin' | 'b_key' | 'b_acting' | 'b_owner' | 'a_owner';
const ROLE_OF: Record<Exclude<Actor, 'anonymous'>, RoleName> = {
  b_admin: 'tenant_admin',
  b_key: 'tenant_admin',
  b_acting: 'tenant_admin',
  b_owner: 'mailbox_owner',
  a_owner: 'mailbox_owner',
};
const ACTORS = ['anonymous', 'b_admin', 'b_key', 'b_acting', 'b_owner', 'a_owner'] as const;
const IMPERSONATE = 'mutation($t: ID!, $r: String!) { impersonateTenant(tenantId: $t, reason: $r) { token } }';

const ALL: RoleName[] = ['platform_admin', 'tenant_admin', 'mailbox_owner'];
const ADMINS: RoleName[] = ['platform_admin', 'tenant_admin'];
const PLATFORM: RoleName[] = ['platform_admin'];
const DKIM_PEM = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const id = (v: string) => ({ id: v });

const CASES: Record<string, Case> = {
  // ----- queries
  me: { kind: 'self', allow: ALL, doc: '{ me { id tenantId impersonatedBy { id } impersonation { id } } }', phase: 1 },
  myTotp: { kind: 'self', allow: ADMINS, doc: '{ myTotp { enabled } }', forbiddenFor: ['b_key', 'b_acting'], phase: 0 },
  tenants: { kind: 'list', allow: ADMINS, doc: 'query($t: ID) { a: tenants { nodes { id } } b: tenants(externalId: "a-ext") { nodes { id } } c: tenants(planId: $t) { nodes { id } } }', vars: (v) => ({ t: v.plan }), phase: 1 },
  tenant: { kind: 'target', allow: ADMINS, doc: 'query($id: ID!) { tenant(id: $id) { id name } }', vars: (v) => id(v.tenant), phase: 1 },
  tenantUsage: { kind: 'target', allow: ADMINS, doc: 'query($id: ID!) { tenantUsage(tenantId: $id) { messages } }', vars: (v) => id(v.tenant), phase: 1 },
  mailboxUsage: { kind: 'target', allow: ALL, doc: 'query($id: ID!) { mailboxUsage(mailboxId: $id) { messages } }', vars: (v) => id(v.mailbox), phase: 1 },
  tenantStats: {
    kind: 'target',
    allow: ADMINS,
    doc: 'query($id: ID!) { tenantStats(tenantId: $id, from: "2026-01-01", to: "2026-12-31") { day mailboxes receivedMessages } }',
    vars: (v) => id(v.tenant),
    phase: 1,
  },
  platformStats: { kind: 'target', allow: PLATFORM, doc: '{ platformStats(from: "2026-01-01", to: "2026-12-31") { day tenants mailboxes storageBytes receivedMessages } }', phase: 1 },
  mailTraffic: {
    kind: 'target',
    allow: ALL,
    doc: 'query($id: ID) { mailTraffic(from: "2026-01-01", to: "2026-12-31", mailboxId: $id) { day } }',
    vars: (v) => id(v.mailbox),
    // By tenant: only the service refuses mailbox owners (the guard lets every role in).
    variants: [{ doc: 'query($id: ID) { mailTraffic(from: "2026-01-01", to: "2026-12-31", tenantId: $id) { day } }', vars: (v) => id(v.tenant), forbiddenFor: ['b_owner', 'a_owner'] }],
    phase: 1,
  },
  plans: { kind: 'list', allow: ADMINS, doc: '{ plans { nodes { id } } }', phase: 1 },
  plan: { kind: 'target', allow: ADMINS, doc: 'query($id: ID!) { plan(id: $id) { id } }', vars: (v) => id(v.plan), phase: 1 },
  domains: { kind: 'list', allow: ADMINS, doc: 'query($t: ID) { a: domains { nodes { id name } } b: domains(tenantId: $t) { nodes { id } } }', vars: (v) => ({ t: v.tenant }), phase: 1 },
  domain: { kind: 'target', allow: ADMINS, doc: 'query($id: ID!) { domain(id: $id) { id dnsRecords { value } } }', vars: (v) => id(v.domain), phase: 1 },
  mailboxes: {
    kind: 'list',
    allow: ALL,
    doc: 'query($t: ID, $d: ID) { a: mailboxes { nodes { id address } } b: mailboxes(tenantId: $t) { nodes { id } } c: mailboxes(domainId: $d) { nodes { id } } }',
    vars: (v) => ({ t: v.tenant, d: v.domain }),
    phase: 1,
  },
  mailbox: { kind: 'target', allow: ALL, doc: 'query($id: ID!) { mailbox(id: $id) { id } }', vars: (v) => id(v.mailbox), phase: 1 },
  aliases: {
    kind: 'list',
    allow: ADMINS,
    doc: 'query($t: ID, $d: ID) { a: aliases { nodes { id source } } b: aliases(tenantId: $t) { nodes { id } } c: aliases(domainId: $d) { nodes { id } } }',
    vars: (v) => ({ t: v.tenant, d: v.domain }),
    phase: 1,
  },
  alias: { kind: 'target', allow: ADMINS, doc: 'query($id: ID!) { alias(id: $id) { id } }', vars: (v) => id(v.alias), phase: 1 },
  operators: { kind: 'list', allow: ADMINS, doc: 'query($t: ID) { a: operators { nodes { id email } } b: operators(tenantId: $t) { nodes { id } } }', vars: (v) => ({ t: v.tenant }), phase: 1 },
  operator: { kind: 'target', allow: ADMINS, doc: 'query($id: ID!) { operator(id: $id) { id } }', vars: (v) => id(v.operator), phase: 1 },
  apiKeys: { kind: 'list', allow: ADMINS, doc: 'query($t: ID) { a: apiKeys { nodes { id prefix } } b: apiKeys(tenantId: $t) { nodes { id } } }', vars: (v) => ({ t: v.tenant }), phase: 1 },
  auditLog: {
    kind: 'list',
    allow: ALL,
    doc: 'query($t: ID, $m: String, $o: String) { a: auditLog(first: 200) { nodes { id tenantId targetId actorLabel } } b: auditLog(tenantId: $t) { nodes { id } } c: auditLog(targetId: $m) { nodes { id } } d: auditLog(actorId: $o) { nodes { id targetId } } }',
    vars: (v) => ({ t: v.tenant, m: v.mailbox, o: v.operator }),
    phase: 1,
  },
  outboundQueue: {
    kind: 'list',
    allow: ALL,
    doc: 'query($t: ID, $m: ID) { a: outboundQueue { nodes { id rcptTo } } b: outboundQueue(tenantId: $t) { nodes { id } } c: outboundQueue(mailboxId: $m) { nodes { id rcptTo } } }',
    vars: (v) => ({ t: v.tenant, m: v.mailbox }),
    phase: 1,
  },
  queuedMessage: { kind: 'target', allow: ALL, doc: 'query($id: ID!) { queuedMessage(id: $id) { id } }', vars: (v) => id(v.queue), phase: 1 },
  abuseEvents: {
    kind: 'list',
    allow: ALL,
    doc: 'query($t: ID, $m: ID) { a: abuseEvents { nodes { id mailboxId } } b: abuseEvents(tenantId: $t, mailboxId: $m) { nodes { id } } c: abuseEvents(tenantId: $t) { nodes { id mailboxId } } d: abuseEvents(mailboxId: $m) { nodes { id mailboxId } } }',
    vars: (v) => ({ t: v.tenant, m: v.mailbox }),
    phase: 1,
  },

  // ----- public
  login: { kind: 'public', allow: ALL, doc: 'mutation($e: String!) { login(email: $e, password: "not-the-password") { token } }', vars: (v) => ({ e: v.mailboxAddress }), phase: 0, audit: 'auth.login' },
  refresh: { kind: 'public', allow: ALL, doc: `mutation { refresh(refreshToken: "rt_${'x'.repeat(43)}") { token } }`, phase: 0, audit: 'auth.refresh' },
  logout: { kind: 'public', allow: ALL, doc: `mutation { logout(refreshToken: "rt_${'x'.repeat(43)}") }`, phase: 0 },

  // ----- self-service
  changePassword: {
    kind: 'self',
    allow: ALL,
    doc: 'mutation { changePassword(currentPassword: "wrong-current-password", newPassword: "whatever-new-1") }',
    forbiddenFor: ['b_key', 'b_acting'],
    phase: 0,
    audit: 'operator.password_change',
  },
  beginTotpEnrollment: { kind: 'self', allow: ADMINS, doc: 'mutation { beginTotpEnrollment { secret } }', forbiddenFor: ['b_key', 'b_acting'], phase: 0, audit: 'operator.totp_begin' },
  confirmTotpEnrollment: { kind: 'self', allow: ADMINS, doc: 'mutation { confirmTotpEnrollment(code: "000000") { recoveryCodes } }', forbiddenFor: ['b_key', 'b_acting'], phase: 0, audit: 'operator.totp_enable' },
  disableTotp: { kind: 'self', allow: ADMINS, doc: 'mutation { disableTotp(code: "000000") }', forbiddenFor: ['b_key', 'b_acting'], phase: 0, audit: 'operator.totp_disable' },

  // ----- mutations on A's objects (phase orders the platform admin's positive run)
  createPlan: { kind: 'target', allow: PLATFORM, doc: 'mutation { createPlan(input: { name: "Sweep plan" }) { id } }', phase: 2, audit: 'plan.create' },
  updatePlan: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { updatePlan(id: $id, input: { maxAliases: 9 }) { id } }', vars: (v) => id(v.plan), phase: 2, audit: 'plan.update' },
  deletePlan: {
    kind: 'target',
    allow: PLATFORM,
    doc: 'mutation($id: ID!) { deletePlan(id: $id) { id } }',
    vars: (v) => id(v.plan),
    // The platform run's createTenant put a tenant on A's plan, and a plan in use is not deleted.
    beforePlatform: (ds, v) => ds.query(`UPDATE tenants SET plan_id = (SELECT id FROM plans WHERE name = 'Default') WHERE plan_id = $1`, [v.plan]),
    phase: 9,
    audit: 'plan.delete',
  },
  createTenant: { kind: 'target', allow: PLATFORM, doc: 'mutation($p: ID) { createTenant(input: { name: "Sweep tenant", planId: $p }) { id } }', vars: (v) => ({ p: v.plan }), phase: 2, audit: 'tenant.create' },
  updateTenant: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { updateTenant(id: $id, input: { name: "Renamed" }) { id } }', vars: (v) => id(v.tenant), phase: 2, audit: 'tenant.update' },
  changeTenantPlan: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!, $p: ID!) { changeTenantPlan(id: $id, planId: $p) { id } }', vars: (v) => ({ id: v.tenant, p: v.plan }), phase: 2, audit: 'tenant.change_plan' },
  suspendTenant: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { suspendTenant(id: $id, reason: "sweep") { id } }', vars: (v) => id(v.tenant), phase: 2, audit: 'tenant.suspend' },
  unsuspendTenant: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { unsuspendTenant(id: $id) { id } }', vars: (v) => id(v.tenant), phase: 3, audit: 'tenant.unsuspend' },
  deleteTenant: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { deleteTenant(input: { id: $id, confirmName: "Renamed" }) { tenantId } }', vars: (v) => id(v.tenant), phase: 8, audit: 'tenant.delete' },
  createDomain: { kind: 'target', allow: ADMINS, doc: 'mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "sweep-new.example" }) { id } }', vars: (v) => ({ t: v.tenant }), phase: 2, audit: 'domain.create' },
  deleteDomain: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!, $n: String!) { deleteDomain(input: { id: $id, confirmName: $n }) { domainId } }', vars: (v) => ({ id: v.domain, n: v.domainName }), phase: 7, audit: 'domain.delete' },
  suspendDomain: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { suspendDomain(id: $id, reason: "sweep") { id } }', vars: (v) => id(v.domain), phase: 2, audit: 'domain.suspend' },
  unsuspendDomain: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { unsuspendDomain(id: $id) { id } }', vars: (v) => id(v.domain), phase: 3, audit: 'domain.unsuspend' },
  verifyDomain: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { verifyDomain(id: $id) { id } }', vars: (v) => id(v.domain), phase: 2, audit: 'domain.verify' },
  generateDkimKey: {
    kind: 'target',
    allow: ADMINS,
    doc: 'mutation($id: ID!) { generateDkimKey(domainId: $id) { id } }',
    vars: (v) => id(v.domain),
    // Only for a domain without a key (domains get one at creation): drop it first.
    beforePlatform: (ds, v) => ds.query(`UPDATE domains SET dkim_private_key = NULL, dkim_public_key = NULL WHERE id = $1`, [v.domain]),
    phase: 2,
    audit: 'domain.dkim_generate',
  },
  rotateDkimKey: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { rotateDkimKey(domainId: $id, selector: "sweep2") { id } }', vars: (v) => id(v.domain), phase: 2, audit: 'domain.dkim_rotate' },
  importDkimKey: {
    kind: 'target',
    allow: ADMINS,
    doc: 'mutation($id: ID!, $pem: String!) { importDkimKey(input: { domainId: $id, selector: "sweep3", privateKeyPem: $pem }) { id } }',
    vars: (v) => ({ id: v.domain, pem: DKIM_PEM }),
    phase: 2,
    audit: 'domain.dkim_import',
  },
  createMailbox: { kind: 'target', allow: ADMINS, doc: 'mutation($d: ID!) { createMailbox(input: { domainId: $d, localPart: "sweeper", password: "a-long-password" }) { id } }', vars: (v) => ({ d: v.domain }), phase: 2, audit: 'mailbox.create' },
  updateMailbox: { kind: 'target', allow: ALL, doc: 'mutation($id: ID!) { updateMailbox(id: $id, input: { displayName: "Hacked" }) { id } }', vars: (v) => id(v.mailbox), phase: 2, audit: 'mailbox.update' },
  deleteMailbox: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!, $a: String!) { deleteMailbox(input: { id: $id, confirmAddress: $a }) { mailboxId } }', vars: (v) => ({ id: v.mailbox, a: v.mailboxAddress }), phase: 6, audit: 'mailbox.delete' },
  resetMailboxPassword: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { resetMailboxPassword(id: $id, password: "taken-over-pw1") { id } }', vars: (v) => id(v.mailbox), phase: 2, audit: 'mailbox.password_reset' },
  setMailboxSuspension: {
    kind: 'target',
    allow: ADMINS,
    doc: 'mutation($id: ID!) { setMailboxSuspension(id: $id, input: { login: true, send: true, receive: true, reason: "sweep" }) { id } }',
    vars: (v) => id(v.mailbox),
    phase: 2,
    audit: 'mailbox.suspension',
  },
  setMailboxForwarding: { kind: 'target', allow: ALL, doc: 'mutation($id: ID!) { setMailboxForwarding(id: $id, input: { addresses: ["thief@evil.example"] }) { id } }', vars: (v) => id(v.mailbox), phase: 2, audit: 'mailbox.forwarding' },
  setMailboxVacation: { kind: 'target', allow: ALL, doc: 'mutation($id: ID!) { setMailboxVacation(id: $id, input: { enabled: true, subject: "x", body: "y" }) { id } }', vars: (v) => id(v.mailbox), phase: 2, audit: 'mailbox.vacation' },
  setMailboxLimits: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { setMailboxLimits(id: $id, input: { sendPerDay: 1000000 }) { id } }', vars: (v) => id(v.mailbox), phase: 2, audit: 'mailbox.limits' },
  releaseMailbox: { kind: 'target', allow: PLATFORM, doc: 'mutation($id: ID!) { releaseMailbox(id: $id) { id } }', vars: (v) => id(v.mailbox), phase: 2, audit: 'mailbox.release' },
  createAlias: { kind: 'target', allow: ADMINS, doc: 'mutation($s: String!) { createAlias(input: { source: $s, destinations: ["thief@evil.example"] }) { id } }', vars: (v) => ({ s: `sweep@${v.domainName}` }), phase: 2, audit: 'alias.create' },
  updateAlias: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { updateAlias(id: $id, input: { destinations: ["thief@evil.example"] }) { id } }', vars: (v) => id(v.alias), phase: 2, audit: 'alias.update' },
  deleteAlias: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { deleteAlias(id: $id) { id } }', vars: (v) => id(v.alias), phase: 5, audit: 'alias.delete' },
  createOperator: {
    kind: 'target',
    allow: ADMINS,
    doc: 'mutation($t: ID) { createOperator(input: { email: "intruder@sweep.example", password: "a-long-password", role: TENANT_ADMIN, tenantId: $t }) { id } }',
    vars: (v) => ({ t: v.tenant }),
    phase: 2,
    audit: 'operator.create',
  },
  deleteOperator: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { deleteOperator(id: $id) { id } }', vars: (v) => id(v.operator), phase: 5, audit: 'operator.delete' },
  unlockOperator: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { unlockOperator(id: $id) { id } }', vars: (v) => id(v.operator), phase: 2, audit: 'operator.unlock' },
  resetOperatorTotp: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { resetOperatorTotp(id: $id) { id } }', vars: (v) => id(v.operator), phase: 2, audit: 'operator.totp_reset' },
  createApiKey: { kind: 'target', allow: ADMINS, doc: 'mutation($t: ID) { createApiKey(input: { name: "sweep", tenantId: $t }) { id key } }', vars: (v) => ({ t: v.tenant }), forbiddenFor: ['b_key'], phase: 2, audit: 'api_key.create' },
  revokeApiKey: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', vars: (v) => id(v.apiKey), phase: 5, audit: 'api_key.revoke' },
  retryQueuedMessage: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { retryQueuedMessage(id: $id) { id } }', vars: (v) => id(v.queue), phase: 2, audit: 'queue.retry' },
  deleteQueuedMessage: { kind: 'target', allow: ADMINS, doc: 'mutation($id: ID!) { deleteQueuedMessage(id: $id) { id } }', vars: (v) => id(v.queue), phase: 5, audit: 'queue.delete' },
  impersonateTenant: { kind: 'target', allow: PLATFORM, doc: IMPERSONATE, vars: (v) => ({ t: v.tenant, r: 'sweep' }), phase: 1, audit: 'tenant.impersonate' },
  // Ends the caller's own impersonation (b_acting's, so it runs last for that actor; a new one is made after).
  stopImpersonation: { kind: 'self', allow: ['tenant_admin'], doc: 'mutation { stopImpersonation }', forbiddenFor: ['b_admin', 'b_key'], phase: 0, audit: 'tenant.impersonate.end' },

  // ----- subscriptions (run over WebSocket, see the last tests)
  events: { kind: 'list', allow: ALL, doc: 'subscription { events { __typename ... on MailboxBlockedEvent { tenantId mailboxId } ... on QuotaCrossedEvent { tenantId mailboxId } } }', phase: 0 },
};

/** The REST operations (OpenAPI operationId) with A's ids: list operations must not show A, the others must refuse. */
const REST_CASES: Record<string, { kind: 'list' | 'target'; path: (v: Victim) => string; body?: (v: Victim) => unknown; query?: (v: Victim) => Record<string, string> }> = {
  listPlans: { kind: 'list', path: () => '/api/v1/plans' },
  listTenants: { kind: 'list', path: () => '/api/v1/tenants', query: () => ({ externalId: 'a-ext' }) },
  createTenant: { kind: 'target', path: () => '/api/v1/tenants', body: (v) => ({ name: 'x', planId: v.plan }) },
  getTenant: { kind: 'target', path: (v) => `/api/v1/tenants/${v.tenant}` },
  updateTenant: { kind: 'target', path: (v) => `/api/v1/tenants/${v.tenant}`, body: () => ({ name: 'x' }) },
  suspendTenant: { kind: 'target', path: (v) => `/api/v1/tenants/${v.tenant}/suspend`, body: () => ({ reason: 'x' }) },
  unsuspendTenant: { kind: 'target', path: (v) => `/api/v1/tenants/${v.tenant}/unsuspend` },
  changeTenantPlan: { kind: 'target', path: (v) => `/api/v1/tenants/${v.tenant}/plan`, body: (v) => ({ planId: v.plan }) },
  getTenantUsage: { kind: 'target', path: (v) => `/api/v1/tenants/${v.tenant}/usage` },
  terminateTenant: { kind: 'target', path: (v) => `/api/v1/tenants/${v.tenant}`, query: () => ({ confirm: 'Renamed' }) },
  listDomains: { kind: 'list', path: () => '/api/v1/domains', query: (v) => ({ tenantId: v.tenant }) },
  createDomain: { kind: 'target', path: () => '/api/v1/domains', body: (v) => ({ tenantId: v.tenant, name: 'rest-sweep.example' }) },
  getDomain: { kind: 'target', path: (v) => `/api/v1/domains/${v.domain}` },
  verifyDomain: { kind: 'target', path: (v) => `/api/v1/domains/${v.domain}/verify` },
  suspendDomain: { kind: 'target', path: (v) => `/api/v1/domains/${v.domain}/suspend`, body: () => ({ reason: 'x' }) },
  unsuspendDomain: { kind: 'target', path: (v) => `/api/v1/domains/${v.domain}/unsuspend` },
  deleteDomain: { kind: 'target', path: (v) => `/api/v1/domains/${v.domain}`, query: (v) => ({ confirm: v.domainName }) },
  listMailboxes: { kind: 'list', path: () => '/api/v1/mailboxes', query: (v) => ({ tenantId: v.tenant }) },
  createMailbox: { kind: 'target', path: () => '/api/v1/mailboxes', body: (v) => ({ domainId: v.domain, localPart: 'rest', password: 'a-long-password' }) },
  getMailbox: { kind: 'target', path: (v) => `/api/v1/mailboxes/${v.mailbox}` },
  updateMailbox: { kind: 'target', path: (v) => `/api/v1/mailboxes/${v.mailbox}`, body: () => ({ displayName: 'x' }) },
  resetMailboxPassword: { kind: 'target', path: (v) => `/api/v1/mailboxes/${v.mailbox}/password`, body: () => ({ password: 'a-long-password' }) },
  setMailboxSuspension: { kind: 'target', path: (v) => `/api/v1/mailboxes/${v.mailbox}/suspension`, body: () => ({ login: true, send: true, receive: true, reason: 'x' }) },
  deleteMailbox: { kind: 'target', path: (v) => `/api/v1/mailboxes/${v.mailbox}`, query: (v) => ({ confirm: v.mailboxAddress }) },
  getMailboxMobileconfig: { kind: 'target', path: (v) => `/api/v1/mailboxes/${v.mailbox}/mobileconfig` },
};

const INTROSPECT = `{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }`;

describe('isolation sweep: every operation, with foreign ids and each lesser role', () => {
  let api: TestApi;
  let dns: FakeDns;
  let platform: string;
  const A = {} as Victim;
  const creds = {} as Record<Exclude<Actor, 'anonymous'>, string>;
  let snapshotBefore: string;
  let bTenantId: string;

  /** Everything that belongs to A, in a stable text form. */
  const snapshot = async () => {
    const q = (sql: string) => api.db.dataSource.query(sql, [A.tenant]);
    const parts = await Promise.all([
      q(`SELECT * FROM tenants WHERE id = $1`),
      api.db.dataSource.query(`SELECT * FROM plans WHERE id = $1`, [A.plan]),
      q(`SELECT * FROM domains WHERE tenant_id = $1 ORDER BY id`),
      q(`SELECT id, address, display_name, quota_bytes, password_hash, login_suspended, send_suspended, receive_suspended, suspension_reason, outbound_blocked_at,
                forward_to, vacation_enabled, send_per_day, updated_at FROM mailboxes WHERE tenant_id = $1 ORDER BY id`),
      q(`SELECT * FROM aliases WHERE tenant_id = $1 ORDER BY id`),
      q(`SELECT * FROM operators WHERE tenant_id = $1 ORDER BY id`),
      q(`SELECT * FROM api_keys WHERE tenant_id = $1 ORDER BY id`),
      q(`SELECT * FROM outbound_queue WHERE tenant_id = $1 ORDER BY id`),
      q(`SELECT * FROM abuse_events WHERE tenant_id = $1 ORDER BY id`),
      q(`SELECT count(*)::int AS audit_rows FROM audit_log WHERE tenant_id = $1`),
    ]);
    return JSON.stringify(parts);
  };

  beforeAll(async () => {
    dns = await FakeDns.start();
    api = await startApi({ env: { DARWIN_DNS_SERVERS: dns.server, DARWIN_DNS_TIMEOUT: '500ms' } });
    platform = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const ds = api.db.dataSource;

    // Tenant A, the victim, on a plan of its own, with one of everything.
    A.plan = ok(await api.gql('mutation { createPlan(input: { name: "Plan A" }) { id } }', {}, platform)).createPlan.id;
    A.tenant = ok(await api.gql('mutation($p: ID) { createTenant(input: { name: "Renamed", planId: $p, externalId: "a-ext" }) { id } }', { p: A.plan }, platform)).createTenant.id;
    A.domainName = 'victim.example';
    A.domain = ok(await api.gql('mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "victim.example" }) { id } }', { t: A.tenant }, platform)).createDomain.id;
    A.mailboxAddress = 'vicky@victim.example';
    A.mailbox = ok(await api.gql('mutation($d: ID!) { createMailbox(input: { domainId: $d, localPart: "vicky", password: "vicky-password" }) { id } }', { d: A.domain }, platform)).createMailbox.id;
    await insertMessage(ds, A.mailbox, 'a private message');
    A.alias = ok(await api.gql('mutation { createAlias(input: { source: "sales@victim.example", destinations: ["vicky@victim.example"] }) { id } }', {}, platform)).createAlias.id;
    A.operator = await insertTenantAdmin(ds, A.tenant, 'boss@victim.example', 'boss-password-1');
    await api.login('boss@victim.example', 'boss-password-1'); // an audit row whose actor is A's operator, for auditLog(actorId:)
    A.apiKey = ok(await api.gql('mutation($t: ID) { createApiKey(input: { name: "a key", tenantId: $t }) { id } }', { t: A.tenant }, platform)).createApiKey.id;
    A.queue = (await insertQueued(ds, A.mailbox, 'friend@remote.example', 'outgoing from A')).id;
    await ds.query(`UPDATE mailboxes SET outbound_blocked_at = now(), outbound_blocked_reason = 'burst' WHERE id = $1`, [A.mailbox]);
    await ds.query(`INSERT INTO abuse_events (tenant_id, mailbox_id, kind, details) VALUES ($1, $2, 'send_burst', '{}')`, [A.tenant, A.mailbox]);
    const nina = await insertMailbox(ds, A.domain, 'nina', 'nina-password-1');
    await insertQueued(ds, nina, 'other@remote.example', 'outgoing from nina');

    // Tenant B, the attacker.
    const bTenant = ok(await api.gql('mutation { createTenant(input: { name: "Attacker" }) { id } }', {}, platform)).createTenant.id;
    const bDomain = await insertDomain(ds, bTenant, 'attacker.example');
    await insertMailbox(ds, bDomain, 'mallory', 'mallory-password');
    await insertTenantAdmin(ds, bTenant, 'admin@attacker.example', 'attacker-admin-pw');
    creds.b_admin = await api.login('admin@attacker.example', 'attacker-admin-pw');
    creds.b_key = ok(await api.gql('mutation($t: ID) { createApiKey(input: { name: "b key", tenantId: $t }) { key } }', { t: bTenant }, platform)).createApiKey.key;
    creds.b_owner = await api.login('mallory@attacker.example', 'mallory-password');
    creds.b_acting = ok(await api.gql(IMPERSONATE, { t: bTenant, r: 'support ticket 7' }, platform)).impersonateTenant.token;
    bTenantId = bTenant;
    creds.a_owner = await api.login('nina@victim.example', 'nina-password-1'); // the lesser role inside A, against vicky

    snapshotBefore = await snapshot();
  });
  afterAll(async () => {
    await api?.close();
    await dns?.close();
  });

  it('covers 100% of the schema operations (and names no operation that does not exist)', async () => {
    const s = ok(await api.gql(INTROSPECT, {}, platform)).__schema;
    const names = [s.queryType, s.mutationType, s.subscriptionType].flatMap((t: { fields: { name: string }[] } | null) => (t ? t.fields.map((f) => f.name) : []));
    expect(names.length).toBeGreaterThan(60);
    expect(names.filter((n: string) => !(n in CASES)).sort(), 'operations without a sweep case').toEqual([]);
    expect(Object.keys(CASES).filter((n) => !names.includes(n)).sort(), 'cases for operations that do not exist').toEqual([]);
  });

  /** Mutations seen succeeding with their audit row (or, for NOT_AUDITED ones, with none). */
  const auditSeen = new Set<string>();
  const isMutation = (c: Case) => c.doc.trimStart().startsWith('mutation');

  /**
   * Runs mutation `name`, which must succeed and append an audit_log row naming its action (none
   * when it is in NOT_AUDITED). Answers what was wrong, if anything. audit_log.id only grows, and
   * the sweep sends one request at a time, so the rows above the last id are this call's.
   */
  async function auditedRun(name: string, run: () => Promise<GqlResponse>): Promise<string | undefined> {
    const [{ last }] = await api.db.dataSource.query(`SELECT coalesce(max(id), 0)::text AS last FROM audit_log`);
    const res = await run();
    if (res.errors) return `${name}: expected success, got ${res.errors[0]!.extensions?.code} ${res.errors[0]!.message}`;
    const actions = (await api.db.dataSource.query(`SELECT action FROM audit_log WHERE id > $1 ORDER BY id`, [last])).map((r: { action: string }) => r.action);
    const expected = CASES[name]!.audit;
    if (expected ? !actions.includes(expected) : actions.length > 0) return `${name}: wrote audit rows [${actions.join(', ')}], expected ${expected ?? 'none'}`;
    auditSeen.add(name);
    return undefined;
  }

  /** What the actor must never see of A (its own objects excepted for A's mailbox owner). */
  const secretsFor = (actor: Actor): string[] => {
    const b = [A.tenant, A.plan, A.domain, A.domainName, A.mailbox, A.mailboxAddress, A.alias, A.operator, A.apiKey, 'sales@victim.example', 'boss@victim.example', 'friend@remote.example'];
    // nina, A's other mailbox owner, legitimately sees her tenant, domain, her own queue row; never vicky's things.
    return actor === 'a_owner' ? [A.mailbox, A.mailboxAddress, A.alias, A.operator, A.apiKey, A.plan, 'sales@victim.example', 'boss@victim.example', 'friend@remote.example'] : b;
  };

  function judge(name: string, c: Case, actor: Actor, res: GqlResponse): string | undefined {
    const code = res.errors?.[0]?.extensions?.code;
    const text = JSON.stringify(res.data ?? null) + JSON.stringify(res.errors ?? null);
    for (const secret of secretsFor(actor)) if (text.includes(secret)) return `${name} as ${actor} leaked ${secret}: ${text.slice(0, 300)}`;
    if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT' || code === 'INTERNAL') return `${name} as ${actor}: broken case (${code}: ${res.errors![0]!.message})`;
    if (c.kind === 'public') return res.data && Object.values(res.data).some((v) => v && typeof v === 'object') ? `${name} as ${actor} succeeded` : undefined;
    if (actor === 'anonymous') return code === 'UNAUTHENTICATED' ? undefined : `${name} anonymous: expected UNAUTHENTICATED, got ${code ?? 'success'}`;
    const allowed = c.allow.includes(ROLE_OF[actor]) && !c.forbiddenFor?.includes(actor);
    if (!allowed) return code === 'FORBIDDEN' ? undefined : `${name} as ${actor}: expected FORBIDDEN, got ${code ?? 'success'}`;
    if (c.kind === 'target') return code === 'NOT_FOUND' ? undefined : `${name} as ${actor}: expected NOT_FOUND, got ${code ?? 'success'} ${JSON.stringify(res.errors ?? res.data).slice(0, 200)}`;
    if (c.kind === 'list') return res.errors ? `${name} as ${actor}: expected a list, got ${code}` : undefined;
    return code === 'NOT_FOUND' ? `${name} as ${actor}: a self-service operation answered NOT_FOUND` : undefined; // self: success or a self-related refusal
  }

  it('refuses every query and mutation to every lesser role with foreign ids, without leaking anything', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const [name, c] of Object.entries(CASES)) {
      if (name === 'events') continue; // over WebSocket below
      for (const call of callsOf(c)) {
        for (const actor of ACTORS) {
          // Tenant B's roles aim at A's objects; nina (A's other mailbox owner) aims at her neighbour vicky's.
          const res = await api.gql(call.doc, call.vars?.(A) ?? {}, actor === 'anonymous' ? undefined : creds[actor]);
          tried++;
          const problem = judge(name, call, actor, res);
          if (problem) failures.push(problem);
        }
      }
    }
    expect(failures).toEqual([]);
    const calls = Object.entries(CASES).reduce((n, [name, c]) => n + (name === 'events' ? 0 : callsOf(c).length), 0);
    expect(tried).toBe(calls * ACTORS.length);
    // stopImpersonation ended b_acting's session: the token is dead, and the sweep goes on with a new one.
    expect(errorCode(await api.gql('{ me { id } }', {}, creds.b_acting))).toBe('UNAUTHENTICATED');
    creds.b_acting = ok(await api.gql(IMPERSONATE, { t: bTenantId, r: 'support ticket 8' }, platform)).impersonateTenant.token;
  });

  it('REST: every documented operation refuses lesser roles and foreign ids (401/403/404), lists show nothing of A', async () => {
    expect(REST_OPERATIONS.map((o) => o.operationId).filter((o) => !(o in REST_CASES)), 'REST operations without a sweep case').toEqual([]);
    const failures: string[] = [];
    for (const op of REST_OPERATIONS) {
      const c = REST_CASES[op.operationId]!;
      for (const actor of ACTORS) {
        const qs = c.query ? '?' + new URLSearchParams(c.query(A)).toString() : '';
        const body = c.body?.(A);
        const res = await fetch(`${api.url}${c.path(A)}${qs}`, {
          method: op.method.toUpperCase(),
          headers: { ...(actor === 'anonymous' ? {} : { authorization: `Bearer ${creds[actor]}` }), ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        for (const secret of secretsFor(actor)) if (text.includes(secret)) failures.push(`${op.operationId} as ${actor} leaked ${secret}`);
        const allowed = actor !== 'anonymous' && op.roles.includes(ROLE_OF[actor]);
        const expected = actor === 'anonymous' ? 401 : !allowed ? 403 : c.kind === 'list' ? 200 : 404;
        if (res.status !== expected) failures.push(`${op.operationId} as ${actor}: expected ${expected}, got ${res.status} ${text.slice(0, 150)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("left every row of tenant A exactly as it was (no audit row either)", async () => {
    expect(await snapshot()).toBe(snapshotBefore);
  });

  it('delivers no event of tenant A to any lesser subscriber (subscription events)', async () => {
    const notifier = new pg.Client({ connectionString: api.db.url });
    await notifier.connect();
    const subs = await Promise.all((['b_admin', 'b_key', 'b_acting', 'b_owner', 'a_owner'] as const).map(async (actor) => [actor, await subscribe(api.url, CASES.events!.doc, creds[actor])] as const));
    const anonymous = await subscribe(api.url, CASES.events!.doc);
    const control = await subscribe(api.url, CASES.events!.doc, platform);
    try {
      for (const payload of [
        { type: 'mailbox.blocked', tenantId: A.tenant, mailboxId: A.mailbox, eventId: '1' },
        { type: 'quota.crossed', tenantId: A.tenant, mailboxId: A.mailbox, percent: 100 },
        { type: 'queue.changed', tenantId: A.tenant, queueId: A.queue, state: 'deferred' },
        { type: 'domain.verified', tenantId: A.tenant, domainId: A.domain, domain: A.domainName },
      ]) {
        await notifier.query('SELECT pg_notify($1, $2)', ['darwin_events', JSON.stringify(payload)]);
      }
      const deadline = Date.now() + 3000;
      while (control.results.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(control.results).toHaveLength(4); // the events were sent and delivered to whoever may see them
      await new Promise((r) => setTimeout(r, 200));
      for (const [actor, sub] of subs) {
        expect(sub.errors, actor).toEqual([]);
        expect(sub.results, actor).toEqual([]);
      }
      await anonymous.done;
      expect(String((anonymous.errors[0] as { code?: number }).code)).toBe('4403');
    } finally {
      await Promise.all([...subs.map(([, s]) => s.close()), control.close(), anonymous.close()]);
      await notifier.end();
    }
  });

  it('the platform admin reaches every one of those objects (the refusals above were about scope), each mutation writing its audit row', async () => {
    const problems: string[] = [];
    const phases = [...new Set(Object.values(CASES).map((c) => c.phase))].filter((p) => p > 0).sort((x, y) => x - y);
    for (const phase of phases) {
      for (const [name, c] of Object.entries(CASES)) {
        if (c.phase !== phase) continue;
        for (const call of callsOf(c)) {
          await call.beforePlatform?.(api.db.dataSource, A);
          const run = () => api.gql(call.doc, call.vars?.(A) ?? {}, platform);
          if (isMutation(call)) {
            const problem = await auditedRun(name, run);
            if (problem) problems.push(problem);
            continue;
          }
          const res = await run();
          const code = res.errors?.[0]?.extensions?.code;
          if (code === 'NOT_FOUND' || code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' || code === 'INTERNAL' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT') {
            problems.push(`${name}: ${code} ${res.errors![0]!.message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // And the destructive phases did happen (A is gone), so this run was not a no-op.
    expect(await api.db.dataSource.query('SELECT 1 FROM tenants WHERE id = $1', [A.tenant])).toEqual([]);
  });

  it('the self-service and session mutations (refused above, not run by the platform admin) write their audit rows too', async () => {
    const problems: string[] = [];
    const step = async (name: string, doc: string, vars: Record<string, unknown>, token?: string) => {
      let res: GqlResponse | undefined;
      const problem = await auditedRun(name, async () => (res = await api.gql(doc, vars, token)));
      if (problem) problems.push(problem);
      return res?.data ?? {};
    };
    // A fresh operator of tenant B, so that changing its password and TOTP disturbs no other case.
    await insertTenantAdmin(api.db.dataSource, bTenantId, 'self@attacker.example', 'self-password-1');
    const { login } = await step('login', 'mutation { login(email: "self@attacker.example", password: "self-password-1") { token refreshToken } }', {});
    const { refresh } = await step('refresh', 'mutation($r: String!) { refresh(refreshToken: $r) { token refreshToken } }', { r: login?.refreshToken });
    const token: string = refresh?.token;
    const { beginTotpEnrollment } = await step('beginTotpEnrollment', 'mutation { beginTotpEnrollment { secret } }', {}, token);
    const { confirmTotpEnrollment } = await step('confirmTotpEnrollment', 'mutation($c: String!) { confirmTotpEnrollment(code: $c) { recoveryCodes } }', { c: totpAt(beginTotpEnrollment?.secret, Date.now()) }, token);
    await step('disableTotp', 'mutation($c: String!) { disableTotp(code: $c) }', { c: confirmTotpEnrollment?.recoveryCodes?.[0] }, token);
    await step('logout', 'mutation($r: String!) { logout(refreshToken: $r) }', { r: refresh?.refreshToken });
    await step('changePassword', 'mutation { changePassword(currentPassword: "self-password-1", newPassword: "self-password-2") }', {}, token);
    const acting = ok(await api.gql(IMPERSONATE, { t: bTenantId, r: 'audit check' }, platform)).impersonateTenant.token;
    await step('stopImpersonation', CASES.stopImpersonation!.doc, {}, acting);
    expect(problems).toEqual([]);
  });

  it('every mutation of the schema was seen succeeding with its audit row, or is listed in NOT_AUDITED with a reason', async () => {
    const mutations: string[] = ok(await api.gql('{ __schema { mutationType { fields { name } } } }', {}, platform)).__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(mutations.filter((m) => !(CASES[m]?.audit || m in NOT_AUDITED)), 'mutations with no audit action and no reason').toEqual([]);
    expect(Object.keys(NOT_AUDITED).filter((m) => CASES[m]?.audit), 'NOT_AUDITED mutations that name an action').toEqual([]);
    expect(mutations.filter((m) => !auditSeen.has(m)).sort(), 'mutations never seen succeeding with their audit row').toEqual([]);
  });
});
