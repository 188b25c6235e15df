import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken, type AccessClaims } from '../src/auth/jwt.js';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertDomain, insertMailbox, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, JWT_SECRET, startApi, type TestApi } from './helpers/start-api.js';

const IMPERSONATE = `mutation($t: ID!, $r: String!) {
  impersonateTenant(tenantId: $t, reason: $r) { token expiresAt actor { id email role tenantId impersonatedBy { id email } impersonation { id reason expiresAt } } }
}`;
const ME = '{ me { id email kind role tenantId impersonatedBy { id email } impersonation { id reason startedAt expiresAt } } }';

function claimsOf(token: string): AccessClaims {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as AccessClaims;
}

describe('impersonation: a platform admin acting as a tenant admin', () => {
  let api: TestApi;
  let platform: string;
  let adminId: string;
  let tenantA: string;
  let tenantB: string;
  let domainA: string;
  let domainB: string;

  beforeAll(async () => {
    api = await startApi();
    platform = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    adminId = ok(await api.gql('{ me { id } }', {}, platform)).me.id;
    const ds = api.db.dataSource;
    tenantA = await insertTenant(ds, 'Acme');
    tenantB = await insertTenant(ds, 'Bravo');
    domainA = await insertDomain(ds, tenantA, 'acme.example');
    domainB = await insertDomain(ds, tenantB, 'bravo.example');
    await insertMailbox(ds, domainB, 'bob', 'bob-password-1');
    await insertTenantAdmin(ds, tenantA, 'boss@acme.example', 'boss-password-1');
    await insertMailbox(ds, domainA, 'owner', 'owner-password-1');
  });
  afterAll(async () => {
    await api?.close();
  });

  const start = async (reason = 'Ticket 4711: customer asked for help') => ok(await api.gql(IMPERSONATE, { t: tenantA, r: reason }, platform)).impersonateTenant;

  it('writes tenant.impersonate (actor = the platform admin, the tenant, the reason) and answers a tenant-admin token of at most an hour without a refresh token', async () => {
    const res = await api.gql(IMPERSONATE, { t: tenantA, r: '  Ticket 4711: customer asked for help ' }, platform);
    const grant = ok(res).impersonateTenant;
    // No refresh token anywhere: not in the answer's type, not as a cookie.
    expect(res.headers.getSetCookie().filter((c) => c.startsWith('darwin_refresh='))).toEqual([]);
    expect(grant.actor).toEqual({
      id: adminId,
      email: ADMIN_EMAIL,
      role: 'tenant_admin',
      tenantId: tenantA,
      impersonatedBy: { id: adminId, email: ADMIN_EMAIL },
      impersonation: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), reason: 'Ticket 4711: customer asked for help', expiresAt: grant.expiresAt },
    });
    const claims = claimsOf(grant.token);
    expect(claims).toMatchObject({ sub: adminId, role: 'tenant_admin', tid: tenantA, act: { sub: adminId }, sid: grant.actor.impersonation.id });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    expect(new Date(grant.expiresAt).getTime()).toBe(claims.exp * 1000);

    const [row] = await api.db.dataSource.query(`SELECT * FROM audit_log WHERE action = 'tenant.impersonate' ORDER BY id DESC LIMIT 1`);
    expect(row).toMatchObject({ actor_type: 'operator', actor_id: adminId, actor_label: ADMIN_EMAIL, tenant_id: tenantA, target_type: 'tenant', target_id: tenantA });
    expect(row.impersonation_id).toBe(grant.actor.impersonation.id);
    expect(row.after).toMatchObject({ reason: 'Ticket 4711: customer asked for help', tenantName: 'Acme' });
    // The same row through GraphQL, as the console's audit page reads it.
    const listed = ok(await api.gql('query($t: ID) { auditLog(tenantId: $t, action: "tenant.impersonate") { nodes { actorId actorLabel impersonationId after } } }', { t: tenantA }, platform)).auditLog.nodes;
    expect(listed[0]).toMatchObject({ actorId: adminId, actorLabel: ADMIN_EMAIL, impersonationId: grant.actor.impersonation.id });

    const me = ok(await api.gql(ME, {}, grant.token)).me;
    expect(me).toMatchObject({ id: adminId, kind: 'operator', role: 'tenant_admin', tenantId: tenantA, impersonatedBy: { id: adminId, email: ADMIN_EMAIL } });
    expect(me.impersonation.reason).toBe('Ticket 4711: customer asked for help');
  });

  it('acts within the tenant only: another tenant reads as NOT_FOUND, platform operations are FORBIDDEN', async () => {
    const { token } = await start();
    expect(ok(await api.gql('{ tenants { nodes { id } } }', {}, token)).tenants.nodes).toEqual([{ id: tenantA }]);
    expect(ok(await api.gql('query($id: ID!) { tenant(id: $id) { name } }', { id: tenantA }, token)).tenant.name).toBe('Acme');
    expect(errorCode(await api.gql('query($id: ID!) { tenant(id: $id) { name } }', { id: tenantB }, token))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql('query($id: ID!) { domain(id: $id) { name } }', { id: domainB }, token))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql('mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "stolen.example" }) { id } }', { t: tenantB }, token))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql('query($id: ID!) { tenantStats(tenantId: $id, from: "2026-01-01", to: "2026-01-02") { day } }', { id: tenantB }, token))).toBe('NOT_FOUND');
    expect(ok(await api.gql('query($t: ID) { mailboxes(tenantId: $t) { totalCount } }', { t: tenantB }, token)).mailboxes.totalCount).toBe(0);
    // What only the provider may do stays closed while acting, and so does acting again or the operator's own account.
    expect(errorCode(await api.gql('mutation { createPlan(input: { name: "Cheap" }) { id } }', {}, token))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('{ platformStats(from: "2026-01-01", to: "2026-01-02") { day } }', {}, token))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(IMPERSONATE, { t: tenantB, r: 'chain' }, token))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('mutation { changePassword(currentPassword: "admin-password-123", newPassword: "hijacked-password") }', {}, token))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('mutation { beginTotpEnrollment { secret } }', {}, token))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('{ myTotp { enabled } }', {}, token))).toBe('FORBIDDEN');
    // REST takes the same token and scope.
    const rest = await fetch(`${api.url}/api/v1/tenants/${tenantB}`, { headers: { authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(404);
    expect((await fetch(`${api.url}/api/v1/tenants/${tenantA}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('audits every change made while acting under the real operator, with the session noted', async () => {
    const grant = await start('Set up a mailbox for the customer');
    const session = grant.actor.impersonation.id;
    const created = ok(
      await api.gql('mutation($d: ID!) { createMailbox(input: { domainId: $d, localPart: "helper", password: "a-long-password" }) { id } }', { d: domainA }, grant.token),
    ).createMailbox;
    const [row] = await api.db.dataSource.query(`SELECT * FROM audit_log WHERE action = 'mailbox.create' AND target_id = $1`, [created.id]);
    expect(row).toMatchObject({ actor_type: 'operator', actor_id: adminId, actor_label: ADMIN_EMAIL, tenant_id: tenantA, impersonation_id: session });

    // The session's whole story: its start (with the reason) and what was done in it.
    const story = ok(await api.gql('query($s: ID) { auditLog(impersonationId: $s, oldestFirst: true) { nodes { action actorId } } }', { s: session }, platform)).auditLog.nodes;
    expect(story).toEqual([
      { action: 'tenant.impersonate', actorId: adminId },
      { action: 'mailbox.create', actorId: adminId },
    ]);
    // The customer sees it in its own audit log, under the provider's name.
    const boss = await api.login('boss@acme.example', 'boss-password-1');
    const seen = ok(await api.gql('{ auditLog(action: "mailbox.create") { nodes { targetId actorLabel impersonationId } } }', {}, boss)).auditLog.nodes;
    expect(seen).toContainEqual({ targetId: created.id, actorLabel: ADMIN_EMAIL, impersonationId: session });
    // Changes made with the provider's own session carry no impersonation.
    ok(await api.gql('mutation($id: ID!) { updateTenant(id: $id, input: { name: "Acme" }) { id } }', { id: tenantA }, platform));
    const [own] = await api.db.dataSource.query(`SELECT impersonation_id FROM audit_log WHERE action = 'tenant.update' ORDER BY id DESC LIMIT 1`);
    expect(own.impersonation_id).toBeNull();
  });

  it('refuses a tenant admin, a mailbox owner and API keys (FORBIDDEN); wants a reason of at most 500 characters and a real tenant', async () => {
    const boss = await api.login('boss@acme.example', 'boss-password-1');
    const owner = await api.login('owner@acme.example', 'owner-password-1');
    const tenantKey = ok(await api.gql('mutation($t: ID) { createApiKey(input: { name: "k", tenantId: $t }) { key } }', { t: tenantA }, platform)).createApiKey.key;
    const platformKey = ok(await api.gql('mutation { createApiKey(input: { name: "p" }) { key } }', {}, platform)).createApiKey.key;
    const before = await api.count('impersonation_sessions');
    for (const token of [boss, owner, tenantKey, platformKey]) {
      expect(errorCode(await api.gql(IMPERSONATE, { t: tenantA, r: 'let me in' }, token))).toBe('FORBIDDEN');
    }
    expect(errorCode(await api.gql(IMPERSONATE, { t: tenantA, r: 'x' }))).toBe('UNAUTHENTICATED');
    for (const reason of ['', '   ', 'r'.repeat(501), 'line\nbreak']) {
      const res = await api.gql(IMPERSONATE, { t: tenantA, r: reason }, platform);
      expect(errorCode(res)).toBe('VALIDATION');
      expect(res.errors![0]!.extensions!.field).toBe('reason');
    }
    expect(errorCode(await api.gql(IMPERSONATE, { t: '00000000-0000-4000-8000-000000000000', r: 'ghost' }, platform))).toBe('NOT_FOUND');
    expect(await api.count('impersonation_sessions')).toBe(before);
  });

  it('stopImpersonation ends the session at once (tenant.impersonate.end); a normal token cannot call it', async () => {
    const grant = await start();
    expect(ok(await api.gql('mutation { stopImpersonation }', {}, grant.token)).stopImpersonation).toBe(true);
    expect(errorCode(await api.gql(ME, {}, grant.token))).toBe('UNAUTHENTICATED');
    const [end] = await api.db.dataSource.query(`SELECT * FROM audit_log WHERE action = 'tenant.impersonate.end' ORDER BY id DESC LIMIT 1`);
    expect(end).toMatchObject({ actor_id: adminId, tenant_id: tenantA, impersonation_id: grant.actor.impersonation.id });
    const boss = await api.login('boss@acme.example', 'boss-password-1');
    const refused = await api.gql('mutation { stopImpersonation }', {}, boss);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.errors![0]!.extensions!.reason).toBe('NOT_IMPERSONATING');
    expect(errorCode(await api.gql('mutation { stopImpersonation }', {}, platform))).toBe('FORBIDDEN');
  });

  it('is verified like any token, on every request: expiry (token and session), the one-hour cap, and its operator still a platform admin', async () => {
    const grant = await start();
    const claims = claimsOf(grant.token);
    const now = Math.floor(Date.now() / 1000);
    // The same claims, properly signed, but expired.
    expect(errorCode(await api.gql(ME, {}, signAccessToken({ ...claims, iat: now - 3700, exp: now - 100 }, JWT_SECRET)))).toBe('UNAUTHENTICATED');
    // Longer than an hour is never accepted, even signed with the key.
    expect(errorCode(await api.gql(ME, {}, signAccessToken({ ...claims, iat: now, exp: now + 7200 }, JWT_SECRET)))).toBe('UNAUTHENTICATED');
    // Another tenant in a token of this session: refused.
    expect(errorCode(await api.gql(ME, {}, signAccessToken({ ...claims, tid: tenantB }, JWT_SECRET)))).toBe('UNAUTHENTICATED');
    // The session's own expiry counts too.
    expect(ok(await api.gql(ME, {}, grant.token)).me.tenantId).toBe(tenantA);
    await api.db.dataSource.query(`UPDATE impersonation_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [claims.sid]);
    expect(errorCode(await api.gql(ME, {}, grant.token))).toBe('UNAUTHENTICATED');

    // A second platform admin acts; locking or deleting that operator ends the token at once.
    ok(await api.gql('mutation { createOperator(input: { email: "staff@provider.example", password: "staff-password-1", role: PLATFORM_ADMIN }) { id } }', {}, platform));
    const staff = await api.login('staff@provider.example', 'staff-password-1');
    const acting = ok(await api.gql(IMPERSONATE, { t: tenantA, r: 'staff check' }, staff)).impersonateTenant;
    expect(ok(await api.gql(ME, {}, acting.token)).me.email).toBe('staff@provider.example');
    await api.db.dataSource.query(`UPDATE operators SET locked_until = now() + interval '1 hour' WHERE id = $1`, [acting.actor.id]);
    expect(errorCode(await api.gql(ME, {}, acting.token))).toBe('UNAUTHENTICATED');
    await api.db.dataSource.query(`UPDATE operators SET locked_until = NULL WHERE id = $1`, [acting.actor.id]);
    expect(ok(await api.gql(ME, {}, acting.token)).me.email).toBe('staff@provider.example');
    // No longer a platform admin (a role changed in the database): refused.
    await api.db.dataSource.query(`UPDATE operators SET role = 'tenant_admin', tenant_id = $2 WHERE id = $1`, [acting.actor.id, tenantA]);
    expect(errorCode(await api.gql(ME, {}, acting.token))).toBe('UNAUTHENTICATED');
    await api.db.dataSource.query(`UPDATE operators SET role = 'platform_admin', tenant_id = NULL WHERE id = $1`, [acting.actor.id]);
    ok(await api.gql('mutation($id: ID!) { deleteOperator(id: $id) { id } }', { id: acting.actor.id }, platform));
    expect(errorCode(await api.gql(ME, {}, acting.token))).toBe('UNAUTHENTICATED');
  });
});

describe('impersonation: expiry', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ settings: { impersonationTtlMs: 1500 } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('the token stops working when its time is up', async () => {
    const platform = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const tenant = await insertTenant(api.db.dataSource, 'Brief');
    const grant = ok(await api.gql(IMPERSONATE, { t: tenant, r: 'quick look' }, platform)).impersonateTenant;
    const ttl = new Date(grant.expiresAt).getTime() - Date.now();
    expect(ttl).toBeLessThanOrEqual(1500);
    expect(ok(await api.gql(ME, {}, grant.token)).me.tenantId).toBe(tenant);
    await new Promise((r) => setTimeout(r, Math.max(0, ttl) + 100));
    expect(errorCode(await api.gql(ME, {}, grant.token))).toBe('UNAUTHENTICATED');
  });
});
