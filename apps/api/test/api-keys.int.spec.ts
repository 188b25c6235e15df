import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { id key apiKey { prefix scope tenantId expiresAt lastUsedAt } } }`;

describe('API keys', () => {
  let api: TestApi;
  let admin: string;
  let tenantA: string;
  let tenantB: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    tenantA = await insertTenant(api.db.dataSource, 'Key Tenant A');
    tenantB = await insertTenant(api.db.dataSource, 'Key Tenant B');
    await insertTenantAdmin(api.db.dataSource, tenantA, 'boss@a.test', 'boss-password-1');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('are shown once, stored as a SHA-256 with a visible prefix, and work as a bearer credential', async () => {
    const created = ok(await api.gql(CREATE_KEY, { i: { name: 'billing' } }, admin)).createApiKey;
    expect(created.key).toMatch(/^dmk_[a-z2-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.apiKey).toMatchObject({ scope: 'PLATFORM', tenantId: null, lastUsedAt: null });

    const [row] = await api.db.dataSource.query('SELECT prefix, secret_hash FROM api_keys WHERE id = $1', [created.id]);
    expect(row.prefix).toBe(created.apiKey.prefix);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await api.db.dataSource.query('SELECT * FROM api_keys'))).not.toContain(created.key.slice(13));
    // Not in the list either.
    const list = ok(await api.gql('{ apiKeys { nodes { id prefix } totalCount } }', {}, admin)).apiKeys;
    expect(JSON.stringify(list)).not.toContain(created.key.slice(13));

    const me = ok(await api.gql('{ me { kind role id email tenantId } }', {}, created.key)).me;
    expect(me).toEqual({ kind: 'api_key', role: 'platform_admin', id: created.id, email: created.apiKey.prefix, tenantId: null });
    const t = ok(await api.gql('mutation { createTenant(input: { name: "Made by a key" }) { id } }', {}, created.key)).createTenant;
    const [audit] = await api.db.dataSource.query(`SELECT actor_type, actor_id, actor_label FROM audit_log WHERE target_id = $1`, [t.id]);
    expect(audit).toEqual({ actor_type: 'api_key', actor_id: created.id, actor_label: created.apiKey.prefix });
    const [used] = await api.db.dataSource.query('SELECT last_used_at FROM api_keys WHERE id = $1', [created.id]);
    expect(used.last_used_at).not.toBeNull();

    // One changed character is another key: refused.
    const wrong = created.key.slice(0, -1) + (created.key.endsWith('x') ? 'y' : 'x');
    expect(errorCode(await api.gql('{ me { id } }', {}, wrong))).toBe('UNAUTHENTICATED');
  });

  it('stop working when revoked or expired', async () => {
    const a = ok(await api.gql(CREATE_KEY, { i: { name: 'revoke me' } }, admin)).createApiKey;
    expect(ok(await api.gql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: a.id }, admin)).revokeApiKey.revokedAt).toBeTruthy();
    expect(errorCode(await api.gql('{ me { id } }', {}, a.key))).toBe('UNAUTHENTICATED');

    const soon = new Date(Date.now() + 60_000).toISOString();
    const b = ok(await api.gql(CREATE_KEY, { i: { name: 'expiring', expiresAt: soon } }, admin)).createApiKey;
    expect(b.apiKey.expiresAt).toBe(soon);
    expect(ok(await api.gql('{ me { id } }', {}, b.key)).me.id).toBe(b.id);
    await api.db.dataSource.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [b.id]);
    expect(errorCode(await api.gql('{ me { id } }', {}, b.key))).toBe('UNAUTHENTICATED');
    expect(errorCode(await api.gql(CREATE_KEY, { i: { name: 'past', expiresAt: new Date(Date.now() - 1000).toISOString() } }, admin))).toBe('VALIDATION');
    const active = ok(await api.gql('{ apiKeys(active: false) { nodes { id } } }', {}, admin)).apiKeys.nodes.map((n: { id: string }) => n.id);
    expect(active).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it("a tenant key acts as that tenant's admin only, and cannot make keys", async () => {
    const k = ok(await api.gql(CREATE_KEY, { i: { name: 'provisioning A', tenantId: tenantA } }, admin)).createApiKey;
    expect(k.apiKey).toMatchObject({ scope: 'TENANT', tenantId: tenantA });
    const seen = ok(await api.gql('{ tenants { nodes { id } } }', {}, k.key)).tenants.nodes.map((n: { id: string }) => n.id);
    expect(seen).toEqual([tenantA]);
    expect(errorCode(await api.gql(`{ tenant(id: "${tenantB}") { id } }`, {}, k.key))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql('mutation { createTenant(input: { name: "nope" }) { id } }', {}, k.key))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(CREATE_KEY, { i: { name: 'child' } }, k.key))).toBe('FORBIDDEN');
  });

  it('a tenant admin makes keys for its own tenant only', async () => {
    const boss = await api.login('boss@a.test', 'boss-password-1');
    const own = ok(await api.gql(CREATE_KEY, { i: { name: 'mine' } }, boss)).createApiKey;
    expect(own.apiKey).toMatchObject({ scope: 'TENANT', tenantId: tenantA });
    expect(errorCode(await api.gql(CREATE_KEY, { i: { name: 'theirs', tenantId: tenantB } }, boss))).toBe('NOT_FOUND');
    const listed = ok(await api.gql('{ apiKeys { nodes { tenantId } } }', {}, boss)).apiKeys.nodes;
    expect(listed.every((n: { tenantId: string }) => n.tenantId === tenantA)).toBe(true);
  });
});
