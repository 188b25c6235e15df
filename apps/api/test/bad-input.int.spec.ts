import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCode } from './helpers/graphql-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, DEFAULT_QUOTA, startApi, type TestApi } from './helpers/start-api.js';

const CREATE_TENANT = `mutation($input: CreateTenantInput!) { createTenant(input: $input) { id } }`;
const CREATE_DOMAIN = `mutation($input: CreateDomainInput!) { createDomain(input: $input) { id name } }`;
const CREATE_MAILBOX = `mutation($input: CreateMailboxInput!) { createMailbox(input: $input) { id address } }`;
const TABLES = ['tenants', 'domains', 'mailboxes', 'folders', 'audit_log'] as const;

describe('bad input is refused with a code, and nothing is half written', () => {
  let api: TestApi;
  let token: string;
  let tenantId: string;
  let domainId: string;
  let before: Record<string, number>;

  const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await api.count(t)] as const)));

  beforeAll(async () => {
    api = await startApi();
    token = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    tenantId = (await api.gql(CREATE_TENANT, { input: { name: 'Bad Input Ltd' } }, token)).data!.createTenant.id;
    domainId = (await api.gql(CREATE_DOMAIN, { input: { tenantId, name: 'bad.example' } }, token)).data!.createDomain.id;
    const first = await api.gql(CREATE_MAILBOX, { input: { domainId, localPart: 'taken', password: 'a-long-password' } }, token);
    expect(first.errors).toBeUndefined();
  });
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(async () => {
    before = await counts();
  });

  async function expectRefused(query: string, input: Record<string, unknown>, code: string) {
    const res = await api.gql(query, { input }, token);
    expect(errorCode(res), JSON.stringify(res.errors)).toBe(code);
    expect(res.data).toBeNull();
    expect(await counts()).toEqual(before);
    return res.errors![0]!;
  }

  it('invalid domain names -> VALIDATION', async () => {
    for (const name of ['no-dot', 'bad_underscore.example', '-lead.example', 'a..b.example', '', `${'x'.repeat(64)}.example`, `${'a.'.repeat(127)}example`]) {
      const err = await expectRefused(CREATE_DOMAIN, { tenantId, name }, 'VALIDATION');
      expect(err.extensions!.field).toBe('name');
    }
  });

  it('duplicate domain (any case) -> CONFLICT', async () => {
    await expectRefused(CREATE_DOMAIN, { tenantId, name: 'BAD.example' }, 'CONFLICT');
  });

  it('duplicate mailbox (any case) -> CONFLICT', async () => {
    await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'Taken', password: 'a-long-password' }, 'CONFLICT');
  });

  it('short password -> VALIDATION', async () => {
    const err = await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'shorty', password: 'short' }, 'VALIDATION');
    expect(err.extensions!.field).toBe('password');
  });

  it('invalid local part, display name or quota -> VALIDATION', async () => {
    await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'has space', password: 'a-long-password' }, 'VALIDATION');
    await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'x'.repeat(65), password: 'a-long-password' }, 'VALIDATION');
    await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'ok', password: 'a-long-password', displayName: 'x'.repeat(201) }, 'VALIDATION');
    await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'ok', password: 'a-long-password', quotaBytes: -1 }, 'VALIDATION');
    await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'ok', password: 'a-long-password', quotaBytes: 1.5 }, 'VALIDATION');
  });

  it('quota above the plan -> LIMIT_EXCEEDED with the numbers', async () => {
    const err = await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'greedy', password: 'a-long-password', quotaBytes: DEFAULT_QUOTA * 10 + 1 }, 'LIMIT_EXCEEDED');
    expect(err.extensions).toMatchObject({ limit: 'maxMailboxQuotaBytes', max: DEFAULT_QUOTA * 10, requested: DEFAULT_QUOTA * 10 + 1 });
  });

  it('more domains or mailboxes than the plan allows -> LIMIT_EXCEEDED with the numbers', async () => {
    await api.db.dataSource.query(`UPDATE plans SET max_domains = 1, max_mailboxes = 1`);
    try {
      const d = await expectRefused(CREATE_DOMAIN, { tenantId, name: 'second.example' }, 'LIMIT_EXCEEDED');
      expect(d.extensions).toMatchObject({ limit: 'maxDomains', max: 1, current: 1 });
      const m = await expectRefused(CREATE_MAILBOX, { domainId, localPart: 'second', password: 'a-long-password' }, 'LIMIT_EXCEEDED');
      expect(m.extensions).toMatchObject({ limit: 'maxMailboxes', max: 1, current: 1 });
    } finally {
      await api.db.dataSource.query(`UPDATE plans SET max_domains = 10, max_mailboxes = 100`);
    }
  });

  it('concurrent creations cannot overshoot the plan limit', async () => {
    const domains = await api.count('domains');
    await api.db.dataSource.query(`UPDATE plans SET max_domains = $1`, [domains + 1]);
    try {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => api.gql(CREATE_DOMAIN, { input: { tenantId, name: `race${n}.example` } }, token)),
      );
      const codes = results.map((r) => (r.errors ? r.errors[0]!.extensions!.code : 'OK')).sort();
      expect(codes).toEqual(['LIMIT_EXCEEDED', 'LIMIT_EXCEEDED', 'LIMIT_EXCEEDED', 'LIMIT_EXCEEDED', 'OK']);
      expect(await api.count('domains')).toBe(domains + 1);
    } finally {
      await api.db.dataSource.query(`UPDATE plans SET max_domains = 10`);
    }
  });

  it('too long or blank tenant names -> VALIDATION; unknown plan or ids -> NOT_FOUND', async () => {
    await expectRefused(CREATE_TENANT, { name: '   ' }, 'VALIDATION');
    await expectRefused(CREATE_TENANT, { name: 'x'.repeat(201) }, 'VALIDATION');
    await expectRefused(CREATE_TENANT, { name: 'ok', planId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND');
    await expectRefused(CREATE_TENANT, { name: 'ok', planId: 'not-a-uuid' }, 'NOT_FOUND');
    await expectRefused(CREATE_DOMAIN, { tenantId: '00000000-0000-4000-8000-000000000000', name: 'x.example' }, 'NOT_FOUND');
    await expectRefused(CREATE_MAILBOX, { domainId: 'nope', localPart: 'x', password: 'a-long-password' }, 'NOT_FOUND');
  });

  it('single-object queries answer NOT_FOUND for an id that never existed and for a malformed one, never INTERNAL', async () => {
    const uuidTargets = ['domain(id: $id) { id }', 'mailbox(id: $id) { id }', 'tenant(id: $id) { id }', 'plan(id: $id) { id }', 'alias(id: $id) { id }', 'operator(id: $id) { id }', 'tenantUsage(tenantId: $id) { messages }', 'mailboxUsage(mailboxId: $id) { messages }'];
    const neverUsed = [randomUUID(), '00000000-0000-4000-8000-000000000000', randomUUID().toUpperCase()];
    const malformed = ['not-a-uuid', '', "' OR 1=1 --", `${randomUUID()}x`, '1', 'x'.repeat(5000)];
    const cases = [
      ...uuidTargets.flatMap((field) => [...neverUsed, ...malformed].map((id) => ({ field, id }))),
      // Queue ids are bigints: one never used, and ones that are no bigint at all (or overflow one).
      ...['987654321', 'abc', '-1', '1.5', '99999999999999999999999', randomUUID()].map((id) => ({ field: 'queuedMessage(id: $id) { id }', id })),
    ];
    const problems: string[] = [];
    for (const { field, id } of cases) {
      const res = await api.gql(`query($id: ID!) { ${field} }`, { id }, token);
      const code = res.errors?.length === 1 ? res.errors[0]!.extensions?.code : JSON.stringify(res.errors ?? res.data);
      if (code !== 'NOT_FOUND' || res.data !== null) problems.push(`${field} with ${JSON.stringify(id.slice(0, 40))}: ${code}`);
    }
    expect(problems).toEqual([]);
  });

  it('an unexpected failure is INTERNAL with a generic message and no SQL', async () => {
    // Break the table the mailbox insert writes to, behind the API's back.
    await api.db.dataSource.query(`ALTER TABLE folders RENAME TO folders_gone`);
    try {
      const res = await api.gql(CREATE_MAILBOX, { input: { domainId, localPart: 'boom', password: 'a-long-password' } }, token);
      expect(errorCode(res)).toBe('INTERNAL');
      expect(res.errors![0]!.message).toBe('Internal server error');
      expect(JSON.stringify(res.errors)).not.toMatch(/folders|INSERT|relation|stack/i);
      expect(res.errors![0]!.extensions!.requestId).toBeTruthy();
      expect(api.logLines.some((l) => l.includes('unexpected error') && l.includes(String(res.errors![0]!.extensions!.requestId)))).toBe(true);
    } finally {
      await api.db.dataSource.query(`ALTER TABLE folders_gone RENAME TO folders`);
    }
    expect(await counts()).toEqual(before);
  });

  it('GraphQL-level mistakes keep their own codes', async () => {
    const res = await api.gql('{ tenants { nope } }', {}, token);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
