import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertTenant } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const CREATE = `mutation($i: CreateOperatorInput!) { createOperator(input: $i) { id } }`;

describe('operators', () => {
  let api: TestApi;
  let admin: string;
  let tenantA: string;
  let tenantB: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    tenantA = await insertTenant(api.db.dataSource, 'Ops A');
    tenantB = await insertTenant(api.db.dataSource, 'Ops B');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('createOperator (public contract) makes tenant and platform admins who log in with login', async () => {
    const t = ok(await api.gql(CREATE, { i: { email: 'Admin@A.test', password: 'tenant-admin-pw1', role: 'TENANT_ADMIN', tenantId: tenantA } }, admin)).createOperator;
    expect(t.id).toMatch(/^[0-9a-f-]{36}$/);
    const p = ok(await api.gql(CREATE, { i: { email: 'staff@provider.test', password: 'platform-admin-pw', role: 'PLATFORM_ADMIN' } }, admin)).createOperator;

    const tLogin = ok(await api.gql('mutation { login(email: "admin@a.test", password: "tenant-admin-pw1") { actor { id role tenantId } } }')).login;
    expect(tLogin.actor).toEqual({ id: t.id, role: 'tenant_admin', tenantId: tenantA });
    const pLogin = ok(await api.gql('mutation { login(email: "staff@provider.test", password: "platform-admin-pw") { actor { id role tenantId } } }')).login;
    expect(pLogin.actor).toEqual({ id: p.id, role: 'platform_admin', tenantId: null });

    const [row] = await api.db.dataSource.query('SELECT email, password_hash FROM operators WHERE id = $1', [t.id]);
    expect(row.email).toBe('admin@a.test');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('checks role and tenant: VALIDATION, CONFLICT, NOT_FOUND, FORBIDDEN', async () => {
    expect(errorCode(await api.gql(CREATE, { i: { email: 'x@a.test', password: 'a-long-password', role: 'TENANT_ADMIN' } }, admin))).toBe('VALIDATION');
    expect(errorCode(await api.gql(CREATE, { i: { email: 'y@a.test', password: 'a-long-password', role: 'PLATFORM_ADMIN', tenantId: tenantA } }, admin))).toBe('VALIDATION');
    expect(errorCode(await api.gql(CREATE, { i: { email: 'not an email', password: 'a-long-password', role: 'TENANT_ADMIN', tenantId: tenantA } }, admin))).toBe('VALIDATION');
    expect(errorCode(await api.gql(CREATE, { i: { email: 'admin@a.test', password: 'a-long-password', role: 'TENANT_ADMIN', tenantId: tenantA } }, admin))).toBe('CONFLICT');
    expect(errorCode(await api.gql(CREATE, { i: { email: 'z@a.test', password: 'short', role: 'TENANT_ADMIN', tenantId: tenantA } }, admin))).toBe('VALIDATION');

    const tenantAdmin = await api.login('admin@a.test', 'tenant-admin-pw1');
    const own = ok(await api.gql(CREATE, { i: { email: 'second@a.test', password: 'a-long-password', role: 'TENANT_ADMIN' } }, tenantAdmin)).createOperator;
    const [row] = await api.db.dataSource.query('SELECT tenant_id FROM operators WHERE id = $1', [own.id]);
    expect(row.tenant_id).toBe(tenantA);
    expect(errorCode(await api.gql(CREATE, { i: { email: 'evil@a.test', password: 'a-long-password', role: 'PLATFORM_ADMIN' } }, tenantAdmin))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(CREATE, { i: { email: 'evil@b.test', password: 'a-long-password', role: 'TENANT_ADMIN', tenantId: tenantB } }, tenantAdmin))).toBe('NOT_FOUND');
    const listed = ok(await api.gql('{ operators { nodes { email role } totalCount } }', {}, tenantAdmin)).operators;
    expect(listed.nodes.map((n: { email: string }) => n.email).sort()).toEqual(['admin@a.test', 'second@a.test']);
  });

  it('the last platform admin cannot be deleted; others can', async () => {
    const ops = ok(await api.gql('{ operators(role: PLATFORM_ADMIN) { nodes { id email } } }', {}, admin)).operators.nodes as { id: string; email: string }[];
    const staff = ops.find((o) => o.email === 'staff@provider.test')!;
    const me = ops.find((o) => o.email === ADMIN_EMAIL)!;
    expect(ok(await api.gql('mutation($id: ID!) { deleteOperator(id: $id) { id } }', { id: staff.id }, admin)).deleteOperator.id).toBe(staff.id);
    expect(errorCode(await api.gql('mutation($id: ID!) { deleteOperator(id: $id) { id } }', { id: me.id }, admin))).toBe('CONFLICT');
  });
});
