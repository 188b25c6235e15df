import type { JsonSchema } from './json-schema.js';

const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const nullableTime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const nullableText: JsonSchema = { type: ['string', 'null'] };
const bytes: JsonSchema = { type: 'integer', minimum: 0, description: 'Bytes.' };
const count: JsonSchema = { type: 'integer', minimum: 0 };

function object(properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties), description?: string): JsonSchema {
  return { type: 'object', additionalProperties: false, required, properties, ...(description ? { description } : {}) };
}

function list(item: string): JsonSchema {
  return object(
    {
      items: { type: 'array', items: { $ref: `#/components/schemas/${item}` } },
      nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
      totalCount: count,
    },
    undefined,
    `One page of ${item} objects.`,
  );
}

const limitUsage = object({ used: { type: 'number' }, limit: { type: 'number' }, percent: { type: 'number' } });

/**
 * Every REST representation and request body. These objects are the OpenAPI components (see
 * openapi.ts), what request bodies are checked against, and what the tests check responses against.
 */
export const SCHEMAS = {
  Error: object(
    {
      errors: {
        type: 'array',
        minItems: 1,
        items: object(
          {
            message: { type: 'string' },
            extensions: {
              type: 'object',
              required: ['code'],
              properties: { code: { type: 'string', enum: ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'LIMIT_EXCEEDED', 'VALIDATION', 'CONFLICT', 'INTERNAL', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE'] } },
              description: 'The code, plus details such as the field, or the limit and the numbers (limit, max, current, requested).',
            },
          },
          ['message', 'extensions'],
        ),
      },
    },
    undefined,
    'Every error answer, with the same codes as GraphQL (extensions.code).',
  ),
  Plan: object({
    id: uuid,
    name: { type: 'string' },
    maxDomains: count,
    maxMailboxes: count,
    maxAliases: count,
    storageBytes: bytes,
    defaultMailboxQuotaBytes: bytes,
    maxMailboxQuotaBytes: bytes,
    maxMessageBytes: bytes,
    sendPerMinute: count,
    sendPerHour: count,
    sendPerDay: count,
    maxRecipientsPerMessage: count,
    imapEnabled: { type: 'boolean' },
    pop3Enabled: { type: 'boolean' },
    createdAt: time,
  }),
  Tenant: object({
    id: uuid,
    name: { type: 'string' },
    status: { type: 'string', enum: ['active', 'suspended'] },
    suspensionReason: nullableText,
    externalId: nullableText,
    planId: uuid,
    planName: { type: 'string' },
    createdAt: time,
  }),
  LimitUsage: limitUsage,
  TenantUsage: object({
    tenantId: uuid,
    domains: { $ref: '#/components/schemas/LimitUsage' },
    mailboxes: { $ref: '#/components/schemas/LimitUsage' },
    aliases: { $ref: '#/components/schemas/LimitUsage' },
    storageAllocated: { $ref: '#/components/schemas/LimitUsage' },
    storageUsedBytes: bytes,
    messages: count,
  }),
  TenantDeletion: object(
    { tenantId: uuid, domainsDeleted: count, mailboxesDeleted: count, messagesDeleted: count, bytesDeleted: bytes, outboundCancelled: count },
    undefined,
    'What terminating the tenant removed.',
  ),
  DkimKey: object({ selector: { type: 'string' }, recordName: { type: 'string' }, recordValue: { type: 'string' }, bits: { type: 'integer' } }),
  DnsRecord: object({
    kind: { type: 'string', enum: ['MX', 'SPF', 'DKIM', 'DMARC', 'MTA_STS', 'MTA_STS_HOST', 'TLS_RPT', 'AUTOCONFIG', 'AUTODISCOVER'] },
    type: { type: 'string', enum: ['MX', 'TXT', 'CNAME'] },
    name: { type: 'string' },
    value: { type: 'string', description: 'Exactly what to publish.' },
    required: { type: 'boolean' },
    purpose: { type: 'string' },
    status: { type: 'string', enum: ['unchecked', 'ok', 'missing', 'mismatch', 'error'] },
    found: { type: 'array', items: { type: 'string' } },
    checkedAt: nullableTime,
  }),
  Domain: object({
    id: uuid,
    name: { type: 'string', description: 'IDNA (ASCII) form, lower case.' },
    displayName: { type: 'string' },
    tenantId: uuid,
    status: { type: 'string', enum: ['active', 'suspended'] },
    suspensionReason: nullableText,
    dkim: { oneOf: [{ $ref: '#/components/schemas/DkimKey' }, { type: 'null' }] },
    dnsVerified: { type: 'boolean' },
    dnsCheckedAt: nullableTime,
    dnsRecords: { type: 'array', items: { $ref: '#/components/schemas/DnsRecord' } },
    createdAt: time,
  }),
  DomainDeletion: object({ domainId: uuid, mailboxesDeleted: count, aliasesDeleted: count, messagesDeleted: count, bytesDeleted: bytes }),
  Mailbox: object({
    id: uuid,
    address: { type: 'string' },
    localPart: { type: 'string' },
    domainId: uuid,
    tenantId: uuid,
    displayName: nullableText,
    quotaBytes: bytes,
    usedBytes: bytes,
    usedMessages: count,
    loginSuspended: { type: 'boolean' },
    sendSuspended: { type: 'boolean' },
    receiveSuspended: { type: 'boolean' },
    suspensionReason: nullableText,
    outboundBlockedAt: nullableTime,
    createdAt: time,
  }),
  MailboxDeletion: object({ mailboxId: uuid, messagesDeleted: count, bytesDeleted: bytes }),
  PlanList: list('Plan'),
  TenantList: list('Tenant'),
  DomainList: list('Domain'),
  MailboxList: list('Mailbox'),

  CreateTenantRequest: object(
    {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      planId: { ...uuid, description: 'Default: the plan named "Default".' },
      externalId: { type: 'string', minLength: 1, maxLength: 200, description: "The billing system's id for the customer (unique)." },
    },
    ['name'],
  ),
  UpdateTenantRequest: object({ name: { type: 'string', minLength: 1, maxLength: 200 }, externalId: { type: ['string', 'null'], maxLength: 200 } }, []),
  SuspendRequest: object({ reason: { type: 'string', minLength: 1, maxLength: 500 } }),
  ChangePlanRequest: object({ planId: uuid }),
  CreateDomainRequest: object({ tenantId: uuid, name: { type: 'string', minLength: 1, maxLength: 255, description: 'Unicode or IDNA.' } }),
  CreateMailboxRequest: object(
    {
      domainId: uuid,
      localPart: { type: 'string', minLength: 1, maxLength: 64 },
      password: { type: 'string', minLength: 10, maxLength: 1024 },
      quotaBytes: { ...bytes, description: "Default: the plan's default mailbox quota." },
      displayName: { type: 'string', maxLength: 200 },
    },
    ['domainId', 'localPart', 'password'],
  ),
  UpdateMailboxRequest: object({ displayName: { type: ['string', 'null'], maxLength: 200 }, quotaBytes: bytes }, []),
  PasswordRequest: object({ password: { type: 'string', minLength: 10, maxLength: 1024 } }),
  MailboxSuspensionRequest: object(
    { login: { type: 'boolean' }, send: { type: 'boolean' }, receive: { type: 'boolean' }, reason: { type: 'string', maxLength: 500 } },
    ['login', 'send', 'receive'],
  ),
} as const satisfies Record<string, JsonSchema>;

export type SchemaName = keyof typeof SCHEMAS;
