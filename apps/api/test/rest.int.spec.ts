import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDns } from '../../../tools/test-support/fake-dns.js';
import { ok } from './helpers/graphql-client.js';
import { validateJson } from '../src/rest/json-schema.js';
import { documentedAnswer, documentedOperation, resolveSchema, restClient, type OpenApiDoc } from './helpers/rest-client.js';
import { insertMessage, insertTenant } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, TEST_HOSTNAME, type TestApi } from './helpers/start-api.js';

const run = promisify(execFile);

describe('REST /api/v1 with API keys, validated against /api/openapi.json', () => {
  let api: TestApi;
  let dns: FakeDns;
  let doc: OpenApiDoc;
  let rest: ReturnType<typeof restClient>;
  let key: string;
  let tenantKey: string;
  let otherTenant: string;

  beforeAll(async () => {
    dns = await FakeDns.start();
    api = await startApi({ env: { DARWIN_DNS_SERVERS: dns.server, DARWIN_DNS_TIMEOUT: '1000ms' } });
    const admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    key = ok(await api.gql('mutation { createApiKey(input: { name: "billing" }) { key } }', {}, admin)).createApiKey.key;
    otherTenant = await insertTenant(api.db.dataSource, 'Somebody Else');
    doc = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as OpenApiDoc;
    rest = restClient(api.url, doc);
  });
  afterAll(async () => {
    await api?.close();
    await dns?.close();
  });

  it('serves an OpenAPI 3.1 document whose every reference resolves, and a self-contained docs page', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[A-Za-z]+"/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref.slice(22, -1)], ref).toBeDefined();
    const ids = Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['createTenant', 'suspendTenant', 'unsuspendTenant', 'terminateTenant', 'changeTenantPlan', 'getTenantUsage', 'createDomain', 'deleteDomain', 'createMailbox', 'deleteMailbox']));

    const page = await fetch(`${api.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain("fetch('/api/openapi.json')");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
  });

  it('curl with an API key creates a tenant, domain and mailbox exactly as documented', async () => {
    // Only what the served document says: each operation's path and method, the body fields it
    // requires (each value checked against its schema), the auth scheme, and the 201 answer's schema.
    const scheme = doc.components.securitySchemes?.[Object.keys(doc.security?.[0] ?? {})[0] ?? '']!;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    const curlAsDocumented = async (operationId: string, values: Record<string, unknown>, optional: string[] = []) => {
      const { path, method, op } = documentedOperation(doc, operationId);
      expect(path, `${operationId} needs no path parameter`).not.toContain('{');
      const requestSchema = resolveSchema(doc, op.requestBody!.content['application/json']!.schema);
      expect(optional.filter((f) => !requestSchema.properties?.[f]), `${operationId}: optional fields the document does not have`).toEqual([]);
      const fields = [...(requestSchema.required ?? []), ...optional];
      expect(fields.filter((f) => !(f in values)), `${operationId}: required fields this test has no value for`).toEqual([]);
      const body = Object.fromEntries(fields.map((f) => [f, values[f]]));
      expect(validateJson(body, requestSchema, doc.components.schemas), `${operationId}: the request body`).toEqual([]);
      const headers = ['-H', `Authorization: Bearer ${key}`, '-H', 'Content-Type: application/json'];
      const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code} %{content_type}', '-X', method.toUpperCase(), `${api.url}${path}`, ...headers, '-d', JSON.stringify(body)]);
      const lines = stdout.trimEnd().split('\n');
      const [status, contentType] = lines.pop()!.split(' ');
      expect(status, `${operationId}: ${lines.join('\n')}`).toBe('201');
      // Documented status and content type, and the body against the 201 schema (throws otherwise).
      return documentedAnswer(doc, op, 201, contentType ?? null, lines.join('\n')) as Record<string, any>;
    };
    const t = await curlAsDocumented('createTenant', { name: 'Curl Customer', externalId: 'billing-1001' }, ['externalId']);
    expect(t).toMatchObject({ name: 'Curl Customer', externalId: 'billing-1001' });
    const d = await curlAsDocumented('createDomain', { tenantId: t.id, name: 'curl.example' });
    expect(d).toMatchObject({ tenantId: t.id, name: 'curl.example' });
    const m = await curlAsDocumented('createMailbox', { domainId: d.id, localPart: 'info', password: 'a long password' });
    expect(m.address).toBe('info@curl.example');
    // The objects exist as answered (re-read through the validating client).
    expect((await rest.call('GET', `/api/v1/tenants/${t.id}`, { key })).body).toEqual(t);
    expect((await rest.call('GET', `/api/v1/domains/${d.id}`, { key })).body).toEqual(d);
    expect((await rest.call('GET', `/api/v1/mailboxes/${m.id}`, { key })).body).toEqual(m);
    // And the mailbox can log in.
    expect(ok(await api.gql('mutation { login(email: "info@curl.example", password: "a long password") { token } }')).login.token).toBeTruthy();
  });

  it('runs the tenant lifecycle: create, suspend, unsuspend, change plan, usage, terminate', async () => {
    const plans = (await rest.call('GET', '/api/v1/plans', { key })).body;
    expect(plans.items.map((p: { name: string }) => p.name)).toContain('Default');
    const t = (await rest.call('POST', '/api/v1/tenants', { key, body: { name: 'Lifecycle Ltd', externalId: 'billing-2002' } })).body;
    expect(t).toMatchObject({ name: 'Lifecycle Ltd', status: 'active', externalId: 'billing-2002', planName: 'Default' });
    const found = (await rest.call('GET', '/api/v1/tenants', { key, query: { externalId: 'billing-2002' } })).body;
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([t.id]);
    expect((await rest.call('PATCH', `/api/v1/tenants/${t.id}`, { key, body: { name: 'Lifecycle Limited' } })).body.name).toBe('Lifecycle Limited');
    const s = await rest.call('POST', `/api/v1/tenants/${t.id}/suspend`, { key, body: { reason: 'unpaid' } });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: 'suspended', suspensionReason: 'unpaid' });
    expect((await rest.call('GET', '/api/v1/tenants', { key, query: { status: 'suspended' } })).body.items.map((x: { id: string }) => x.id)).toContain(t.id);
    expect((await rest.call('POST', `/api/v1/tenants/${t.id}/unsuspend`, { key })).body.status).toBe('active');

    const admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const gold = ok(await api.gql('mutation { createPlan(input: { name: "Gold", maxDomains: 50 }) { id } }', {}, admin)).createPlan;
    expect((await rest.call('PUT', `/api/v1/tenants/${t.id}/plan`, { key, body: { planId: gold.id } })).body).toMatchObject({ planId: gold.id, planName: 'Gold' });

    const d = (await rest.call('POST', '/api/v1/domains', { key, body: { tenantId: t.id, name: 'lifecycle.example' } })).body;
    const mb = (await rest.call('POST', '/api/v1/mailboxes', { key, body: { domainId: d.id, localPart: 'ops', password: 'ops-password-1' } })).body;
    await insertMessage(api.db.dataSource, mb.id, 'hello there');
    const usage = (await rest.call('GET', `/api/v1/tenants/${t.id}/usage`, { key })).body;
    expect(usage).toMatchObject({ domains: { used: 1, limit: 50 }, mailboxes: { used: 1 }, storageUsedBytes: 11, messages: 1 });

    const wrong = await rest.call('DELETE', `/api/v1/tenants/${t.id}`, { key, query: { confirm: 'nope' } });
    expect(wrong.status).toBe(400);
    const gone = await rest.call('DELETE', `/api/v1/tenants/${t.id}`, { key, query: { confirm: 'Lifecycle Limited' } });
    expect(gone.body).toEqual({ tenantId: t.id, domainsDeleted: 1, mailboxesDeleted: 1, messagesDeleted: 1, bytesDeleted: 11, outboundCancelled: 0 });
    expect((await rest.call('GET', `/api/v1/tenants/${t.id}`, { key })).status).toBe(404);
  });

  it('runs the domain and mailbox lifecycle, DNS verification included', async () => {
    const t = (await rest.call('POST', '/api/v1/tenants', { key, body: { name: 'Domains Inc' } })).body;
    const d = (await rest.call('POST', '/api/v1/domains', { key, body: { tenantId: t.id, name: 'Bücher.example' } })).body;
    expect(d.name).toBe('xn--bcher-kva.example');
    expect(d.dnsRecords.find((r: { kind: string }) => r.kind === 'MX').value).toBe(`10 ${TEST_HOSTNAME}.`);
    for (const r of d.dnsRecords as { kind: string; name: string; value: string; type: string }[]) {
      if (r.type === 'MX') dns.set(r.name, { ...dns.get(r.name), MX: [{ priority: 10, exchange: TEST_HOSTNAME }] });
      if (r.type === 'TXT') dns.set(r.name, { ...dns.get(r.name), TXT: [...(dns.get(r.name)?.TXT ?? []), r.value] });
    }
    const v = (await rest.call('POST', `/api/v1/domains/${d.id}/verify`, { key })).body;
    expect(v.dnsVerified).toBe(true);
    expect((await rest.call('GET', '/api/v1/domains', { key, query: { tenantId: t.id } })).body.totalCount).toBe(1);
    expect((await rest.call('POST', `/api/v1/domains/${d.id}/suspend`, { key, body: { reason: 'abuse' } })).body.status).toBe('suspended');
    expect((await rest.call('POST', `/api/v1/domains/${d.id}/unsuspend`, { key })).body.status).toBe('active');

    const mb = (await rest.call('POST', '/api/v1/mailboxes', { key, body: { domainId: d.id, localPart: 'Anna', password: 'anna-password-1', displayName: 'Anna' } })).body;
    expect(mb.address).toBe('anna@xn--bcher-kva.example');
    const listed = (await rest.call('GET', '/api/v1/mailboxes', { key, query: { domainId: d.id, limit: '1' } })).body;
    expect(listed).toMatchObject({ totalCount: 1, nextCursor: null });
    expect((await rest.call('PATCH', `/api/v1/mailboxes/${mb.id}`, { key, body: { quotaBytes: 5_000_000, displayName: null } })).body).toMatchObject({ quotaBytes: 5_000_000, displayName: null });
    expect((await rest.call('PUT', `/api/v1/mailboxes/${mb.id}/password`, { key, body: { password: 'anna-password-2' } })).status).toBe(200);
    const sus = (await rest.call('PUT', `/api/v1/mailboxes/${mb.id}/suspension`, { key, body: { login: false, send: true, receive: false, reason: 'spam' } })).body;
    expect(sus).toMatchObject({ loginSuspended: false, sendSuspended: true, suspensionReason: 'spam' });

    const profile = await rest.call('GET', `/api/v1/mailboxes/${mb.id}/mobileconfig`, { key });
    expect(profile.headers.get('content-type')).toBe('application/x-apple-aspen-config');
    expect(profile.text).toContain(`<string>${TEST_HOSTNAME}</string>`);

    expect((await rest.call('DELETE', `/api/v1/mailboxes/${mb.id}`, { key, query: { confirm: mb.address } })).body).toEqual({ mailboxId: mb.id, messagesDeleted: 0, bytesDeleted: 0 });
    expect((await rest.call('DELETE', `/api/v1/domains/${d.id}`, { key, query: { confirm: 'bücher.example' } })).body).toMatchObject({ domainId: d.id, mailboxesDeleted: 0 });
  });

  it('answers errors with the documented status and shape', async () => {
    expect((await rest.call('GET', '/api/v1/tenants')).status).toBe(401);
    expect((await rest.call('GET', '/api/v1/tenants', { key: 'dmk_aaaaaaaa_' + 'A'.repeat(43) })).status).toBe(401);
    const bad = await rest.call('POST', '/api/v1/tenants', { key, body: { name: 'x', surprise: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION', field: 'surprise' });
    expect((await rest.call('POST', '/api/v1/tenants', { key, body: { name: 42 } })).body.errors[0].extensions.field).toBe('name');
    expect((await rest.call('GET', '/api/v1/tenants', { key, query: { limit: '500' } })).status).toBe(400);
    expect((await rest.call('POST', '/api/v1/tenants', { key, body: { name: 'Dup', externalId: 'billing-1001' } })).status).toBe(409);
    expect((await rest.call('GET', '/api/v1/domains/00000000-0000-4000-8000-000000000000', { key })).status).toBe(404);

    const t = (await rest.call('POST', '/api/v1/tenants', { key, body: { name: 'Limited' } })).body;
    await api.db.dataSource.query('UPDATE plans SET max_domains = 0 WHERE id = $1', [t.planId]);
    try {
      const limited = await rest.call('POST', '/api/v1/domains', { key, body: { tenantId: t.id, name: 'limited.example' } });
      expect(limited.status).toBe(422);
      expect(limited.body.errors[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'maxDomains', max: 0, current: 0 });
    } finally {
      await api.db.dataSource.query('UPDATE plans SET max_domains = 10 WHERE id = $1', [t.planId]);
    }
    const unknown = await fetch(`${api.url}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${key}` } });
    expect(unknown.status).toBe(404);
  });

  it("a tenant key acts for its tenant only: another tenant's objects are 404, platform operations 403", async () => {
    const admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const mine = (await rest.call('POST', '/api/v1/tenants', { key, body: { name: 'Key Holder' } })).body;
    tenantKey = ok(await api.gql('mutation($t: ID) { createApiKey(input: { name: "t", tenantId: $t }) { key } }', { t: mine.id }, admin)).createApiKey.key;
    expect((await rest.call('GET', `/api/v1/tenants/${otherTenant}`, { key: tenantKey })).status).toBe(404);
    expect((await rest.call('GET', `/api/v1/tenants/${otherTenant}/usage`, { key: tenantKey })).status).toBe(404);
    expect((await rest.call('POST', '/api/v1/domains', { key: tenantKey, body: { tenantId: otherTenant, name: 'steal.example' } })).status).toBe(404);
    expect((await rest.call('POST', `/api/v1/tenants/${otherTenant}/suspend`, { key: tenantKey, body: { reason: 'x' } })).status).toBe(403);
    expect((await rest.call('POST', '/api/v1/tenants', { key: tenantKey, body: { name: 'x' } })).status).toBe(403);
    const list = (await rest.call('GET', '/api/v1/tenants', { key: tenantKey })).body;
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([mine.id]);
    expect((await rest.call('POST', '/api/v1/domains', { key: tenantKey, body: { tenantId: mine.id, name: 'mine.example' } })).status).toBe(201);
  });

  it('every documented operation was exercised and checked against the document', () => {
    const ids = Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(ids.filter((id) => !rest.exercised.has(id))).toEqual([]);
  });
});
