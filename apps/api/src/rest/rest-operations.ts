import type { Role } from '../auth/actor.js';
import type { SchemaName } from './rest-schemas.js';

export interface QueryParam {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly type?: 'string' | 'integer';
  readonly format?: 'uuid';
}

export interface RestResponse {
  readonly status: number;
  readonly description: string;
  readonly schema?: SchemaName;
  /** Default application/json. */
  readonly contentType?: string;
}

/** One REST operation as the OpenAPI document describes it; the controllers implement exactly these. */
export interface RestOperation {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: /api/v1/tenants/{id}. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: 'Plans' | 'Tenants' | 'Domains' | 'Mailboxes';
  readonly roles: readonly Role[];
  readonly body?: SchemaName;
  readonly query?: readonly QueryParam[];
  readonly responses: readonly RestResponse[];
}

const PAGE: QueryParam[] = [
  { name: 'limit', type: 'integer', description: 'Page size, 1-200 (default 50).' },
  { name: 'cursor', description: 'nextCursor of the previous page.' },
];
const ADMINS: Role[] = ['platform_admin', 'tenant_admin'];
const PLATFORM: Role[] = ['platform_admin'];
const ok = (schema: SchemaName, description = 'OK'): RestResponse => ({ status: 200, description, schema });
const created = (schema: SchemaName): RestResponse => ({ status: 201, description: 'Created', schema });

export const REST_OPERATIONS: readonly RestOperation[] = [
  { method: 'get', path: '/api/v1/plans', operationId: 'listPlans', tag: 'Plans', summary: 'List plans (a tenant key sees its own plan)', roles: ADMINS, query: PAGE, responses: [ok('PlanList')] },

  {
    method: 'get',
    path: '/api/v1/tenants',
    operationId: 'listTenants',
    tag: 'Tenants',
    summary: 'List tenants',
    roles: ADMINS,
    query: [...PAGE, { name: 'externalId', description: "Only the tenant with this billing-system id." }, { name: 'status', description: 'active or suspended' }],
    responses: [ok('TenantList')],
  },
  { method: 'post', path: '/api/v1/tenants', operationId: 'createTenant', tag: 'Tenants', summary: 'Create a tenant', roles: PLATFORM, body: 'CreateTenantRequest', responses: [created('Tenant')] },
  { method: 'get', path: '/api/v1/tenants/{id}', operationId: 'getTenant', tag: 'Tenants', summary: 'Get a tenant', roles: ADMINS, responses: [ok('Tenant')] },
  { method: 'patch', path: '/api/v1/tenants/{id}', operationId: 'updateTenant', tag: 'Tenants', summary: 'Rename a tenant or set its external id', roles: PLATFORM, body: 'UpdateTenantRequest', responses: [ok('Tenant')] },
  {
    method: 'post',
    path: '/api/v1/tenants/{id}/suspend',
    operationId: 'suspendTenant',
    tag: 'Tenants',
    summary: "Suspend a tenant (its mailboxes' logins and mail stop)",
    roles: PLATFORM,
    body: 'SuspendRequest',
    responses: [ok('Tenant')],
  },
  { method: 'post', path: '/api/v1/tenants/{id}/unsuspend', operationId: 'unsuspendTenant', tag: 'Tenants', summary: 'Unsuspend a tenant', roles: PLATFORM, responses: [ok('Tenant')] },
  {
    method: 'put',
    path: '/api/v1/tenants/{id}/plan',
    operationId: 'changeTenantPlan',
    tag: 'Tenants',
    summary: 'Move a tenant to another plan (422 LIMIT_EXCEEDED when it does not fit)',
    roles: PLATFORM,
    body: 'ChangePlanRequest',
    responses: [ok('Tenant')],
  },
  { method: 'get', path: '/api/v1/tenants/{id}/usage', operationId: 'getTenantUsage', tag: 'Tenants', summary: 'Usage against the plan', roles: ADMINS, responses: [ok('TenantUsage')] },
  {
    method: 'delete',
    path: '/api/v1/tenants/{id}',
    operationId: 'terminateTenant',
    tag: 'Tenants',
    summary: 'Terminate a tenant: deletes its domains, mailboxes and all their mail, operators and API keys, and cancels its unsent mail',
    roles: PLATFORM,
    query: [{ name: 'confirm', required: true, description: "The tenant's exact name." }],
    responses: [ok('TenantDeletion')],
  },

  {
    method: 'get',
    path: '/api/v1/domains',
    operationId: 'listDomains',
    tag: 'Domains',
    summary: 'List domains',
    roles: ADMINS,
    query: [...PAGE, { name: 'tenantId', format: 'uuid', description: "Only this tenant's domains." }],
    responses: [ok('DomainList')],
  },
  {
    method: 'post',
    path: '/api/v1/domains',
    operationId: 'createDomain',
    tag: 'Domains',
    summary: 'Add a domain (with a new DKIM key); dnsRecords says what to publish',
    roles: ADMINS,
    body: 'CreateDomainRequest',
    responses: [created('Domain')],
  },
  { method: 'get', path: '/api/v1/domains/{id}', operationId: 'getDomain', tag: 'Domains', summary: 'Get a domain with its DNS records', roles: ADMINS, responses: [ok('Domain')] },
  { method: 'post', path: '/api/v1/domains/{id}/verify', operationId: 'verifyDomain', tag: 'Domains', summary: 'Check the DNS records now', roles: ADMINS, responses: [ok('Domain')] },
  { method: 'post', path: '/api/v1/domains/{id}/suspend', operationId: 'suspendDomain', tag: 'Domains', summary: 'Suspend a domain', roles: PLATFORM, body: 'SuspendRequest', responses: [ok('Domain')] },
  { method: 'post', path: '/api/v1/domains/{id}/unsuspend', operationId: 'unsuspendDomain', tag: 'Domains', summary: 'Unsuspend a domain', roles: PLATFORM, responses: [ok('Domain')] },
  {
    method: 'delete',
    path: '/api/v1/domains/{id}',
    operationId: 'deleteDomain',
    tag: 'Domains',
    summary: 'Delete a domain with its mailboxes, their mail, and its aliases (queued outbound mail is still delivered)',
    roles: ADMINS,
    query: [{ name: 'confirm', required: true, description: "The domain's name." }],
    responses: [ok('DomainDeletion')],
  },

  {
    method: 'get',
    path: '/api/v1/mailboxes',
    operationId: 'listMailboxes',
    tag: 'Mailboxes',
    summary: 'List mailboxes',
    roles: ADMINS,
    query: [...PAGE, { name: 'domainId', format: 'uuid', description: 'Only this domain.' }, { name: 'tenantId', format: 'uuid', description: 'Only this tenant.' }],
    responses: [ok('MailboxList')],
  },
  { method: 'post', path: '/api/v1/mailboxes', operationId: 'createMailbox', tag: 'Mailboxes', summary: 'Create a mailbox', roles: ADMINS, body: 'CreateMailboxRequest', responses: [created('Mailbox')] },
  { method: 'get', path: '/api/v1/mailboxes/{id}', operationId: 'getMailbox', tag: 'Mailboxes', summary: 'Get a mailbox', roles: ADMINS, responses: [ok('Mailbox')] },
  { method: 'patch', path: '/api/v1/mailboxes/{id}', operationId: 'updateMailbox', tag: 'Mailboxes', summary: 'Change display name or quota', roles: ADMINS, body: 'UpdateMailboxRequest', responses: [ok('Mailbox')] },
  { method: 'put', path: '/api/v1/mailboxes/{id}/password', operationId: 'resetMailboxPassword', tag: 'Mailboxes', summary: 'Set a new password', roles: ADMINS, body: 'PasswordRequest', responses: [ok('Mailbox')] },
  {
    method: 'put',
    path: '/api/v1/mailboxes/{id}/suspension',
    operationId: 'setMailboxSuspension',
    tag: 'Mailboxes',
    summary: 'Suspend or restore login, sending and receiving separately',
    roles: ADMINS,
    body: 'MailboxSuspensionRequest',
    responses: [ok('Mailbox')],
  },
  {
    method: 'delete',
    path: '/api/v1/mailboxes/{id}',
    operationId: 'deleteMailbox',
    tag: 'Mailboxes',
    summary: 'Delete a mailbox and all its mail',
    roles: ADMINS,
    query: [{ name: 'confirm', required: true, description: "The mailbox's address." }],
    responses: [ok('MailboxDeletion')],
  },
  {
    method: 'get',
    path: '/api/v1/mailboxes/{id}/mobileconfig',
    operationId: 'getMailboxMobileconfig',
    tag: 'Mailboxes',
    summary: 'Apple configuration profile (.mobileconfig) for the mailbox (IMAP and SMTP submission over TLS)',
    roles: ['platform_admin', 'tenant_admin', 'mailbox_owner'],
    responses: [{ status: 200, description: 'The profile (unsigned XML plist).', contentType: 'application/x-apple-aspen-config' }],
  },
];
