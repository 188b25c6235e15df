import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertDomain, insertMailbox, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const CREATE = `mutation($i: CreateAliasInput!) { createAlias(input: $i) { id source catchAll destinations enabled domainId } }`;

describe('aliases and catch-all', () => {
  let api: TestApi;
  let ta: string;
  let domainId: string;
  beforeAll(async () => {
    api = await startApi();
    const t = await insertTenant(api.db.dataSource, 'Alias Co');
    domainId = await insertDomain(api.db.dataSource, t, 'alias.test');
    await insertMailbox(api.db.dataSource, domainId, 'inbox', 'password-1234');
    await insertTenantAdmin(api.db.dataSource, t, 'admin@alias.test', 'alias-admin-pw');
    const other = await insertTenant(api.db.dataSource, 'Other Co');
    await insertDomain(api.db.dataSource, other, 'other.test');
    ta = await api.login('admin@alias.test', 'alias-admin-pw');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates aliases and a catch-all (@domain), normalised, with local and external destinations', async () => {
    const a = ok(await api.gql(CREATE, { i: { source: 'Sales@Alias.test', destinations: ['inbox@alias.test', 'Boss@Bücher.example'] } }, ta)).createAlias;
    expect(a).toMatchObject({ source: 'sales@alias.test', catchAll: false, destinations: ['inbox@alias.test', 'boss@xn--bcher-kva.example'], enabled: true, domainId });
    const c = ok(await api.gql(CREATE, { i: { source: '@ALIAS.test', destinations: ['inbox@alias.test'] } }, ta)).createAlias;
    expect(c).toMatchObject({ source: '@alias.test', catchAll: true });
    expect(ok(await api.gql('{ aliases(catchAll: true) { nodes { source } } }', {}, ta)).aliases.nodes).toEqual([{ source: '@alias.test' }]);
  });

  it('refuses sources that are taken, invalid, or on a domain that is not the tenant’s', async () => {
    expect(errorCode(await api.gql(CREATE, { i: { source: 'inbox@alias.test', destinations: ['x@y.test'] } }, ta))).toBe('CONFLICT');
    expect(errorCode(await api.gql(CREATE, { i: { source: 'sales@alias.test', destinations: ['x@y.test'] } }, ta))).toBe('CONFLICT');
    expect(errorCode(await api.gql(CREATE, { i: { source: 'x@other.test', destinations: ['x@y.test'] } }, ta))).toBe('NOT_FOUND');
    expect(errorCode(await api.gql(CREATE, { i: { source: 'x@nowhere.test', destinations: ['x@y.test'] } }, ta))).toBe('NOT_FOUND');
    for (const source of ['no-at-sign', 'a b@alias.test', '@', '@bad_domain']) expect(errorCode(await api.gql(CREATE, { i: { source, destinations: ['x@y.test'] } }, ta))).toBe('VALIDATION');
    expect(errorCode(await api.gql(CREATE, { i: { source: 'new@alias.test', destinations: [] } }, ta))).toBe('VALIDATION');
    expect(errorCode(await api.gql(CREATE, { i: { source: 'loop@alias.test', destinations: ['loop@alias.test'] } }, ta))).toBe('VALIDATION');
  });

  it('counts against the plan (LIMIT_EXCEEDED with numbers), updates and deletes', async () => {
    await api.db.dataSource.query('UPDATE plans SET max_aliases = 2');
    try {
      const res = await api.gql(CREATE, { i: { source: 'third@alias.test', destinations: ['inbox@alias.test'] } }, ta);
      expect(errorCode(res)).toBe('LIMIT_EXCEEDED');
      expect(res.errors![0]!.extensions).toMatchObject({ limit: 'maxAliases', max: 2, current: 2 });
    } finally {
      await api.db.dataSource.query('UPDATE plans SET max_aliases = 500');
    }
    const [{ id }] = ok(await api.gql('{ aliases(sourceContains: "sales") { nodes { id } } }', {}, ta)).aliases.nodes;
    const u = ok(await api.gql('mutation($id: ID!) { updateAlias(id: $id, input: { enabled: false, destinations: ["a@b.test"] }) { enabled destinations } }', { id }, ta)).updateAlias;
    expect(u).toEqual({ enabled: false, destinations: ['a@b.test'] });
    ok(await api.gql('mutation($id: ID!) { deleteAlias(id: $id) { id } }', { id }, ta));
    expect(errorCode(await api.gql('query($id: ID!) { alias(id: $id) { id } }', { id }, ta))).toBe('NOT_FOUND');
  });
});

describe('audit log', () => {
  let api: TestApi;
  let admin: string;
  let ta: string;
  let mailboxId: string;
  let otherMailboxId: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const t = await insertTenant(api.db.dataSource, 'Audit Co');
    const d = await insertDomain(api.db.dataSource, t, 'audit.test');
    mailboxId = await insertMailbox(api.db.dataSource, d, 'amy', 'amy-password-1');
    otherMailboxId = await insertMailbox(api.db.dataSource, d, 'ben', 'ben-password-1');
    await insertTenantAdmin(api.db.dataSource, t, 'admin@audit.test', 'audit-admin-pw');
    ta = await api.login('admin@audit.test', 'audit-admin-pw');
    ok(await api.gql('mutation($id: ID!) { setMailboxSuspension(id: $id, input: { login: false, send: true, receive: false, reason: "checking" }) { id } }', { id: mailboxId }, ta));
    ok(await api.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { displayName: "Ben" }) { id } }', { id: otherMailboxId }, ta));
    ok(await api.gql('mutation { createTenant(input: { name: "Unrelated" }) { id } }', {}, admin));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('every mutation is recorded with actor, tenant, target, before/after, IP and request id; filterable', async () => {
    const res = ok(
      await api.gql('query($t: String) { auditLog(targetId: $t, action: "mailbox.") { nodes { actorType actorLabel action targetType targetId before after ip requestId } totalCount } }', { t: mailboxId }, admin),
    ).auditLog;
    expect(res.totalCount).toBe(1);
    expect(res.nodes[0]).toMatchObject({ actorType: 'operator', actorLabel: 'admin@audit.test', action: 'mailbox.suspension', targetType: 'mailbox', targetId: mailboxId });
    expect(res.nodes[0].before).toMatchObject({ sendSuspended: false });
    expect(res.nodes[0].after).toMatchObject({ sendSuspended: true, suspensionReason: 'checking' });
    expect(res.nodes[0].ip).toMatch(/127\.0\.0\.1/);
    expect(res.nodes[0].requestId).toBeTruthy();
    const newestFirst = ok(await api.gql('{ auditLog(first: 3) { nodes { id createdAt } } }', {}, admin)).auditLog.nodes;
    expect(newestFirst.map((n: { createdAt: string }) => n.createdAt)).toEqual([...newestFirst.map((n: { createdAt: string }) => n.createdAt)].sort().reverse());
    expect(ok(await api.gql('{ auditLog(action: "tenant.create") { totalCount } }', {}, ta)).auditLog.totalCount).toBe(0); // its tenant was seeded, the other is not its
  });

  it("a mailbox owner sees what operators did to its own mailbox, without their IP, and nothing else", async () => {
    const amy = await api.login('amy@audit.test', 'amy-password-1');
    const log = ok(await api.gql('{ auditLog { nodes { action targetId actorLabel ip } totalCount } }', {}, amy)).auditLog;
    expect(new Set(log.nodes.map((n: { action: string }) => n.action))).toEqual(new Set(['auth.login', 'mailbox.suspension']));
    expect(log.nodes.every((n: { targetId: string }) => n.targetId === mailboxId)).toBe(true);
    expect(log.nodes.some((n: { action: string; actorLabel: string }) => n.action === 'mailbox.suspension' && n.actorLabel === 'admin@audit.test')).toBe(true);
    expect(log.nodes.every((n: { ip: string | null }) => n.ip === null)).toBe(true);
    expect(ok(await api.gql('query($t: String) { auditLog(targetId: $t) { totalCount } }', { t: otherMailboxId }, amy)).auditLog.totalCount).toBe(0);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const rows = await api.count('audit_log');
    expect(rows).toBeGreaterThan(0); // row triggers fire only on rows that exist
    await expect(api.db.dataSource.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only \(UPDATE/);
    await expect(api.db.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only \(DELETE/);
    await expect(api.db.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only \(TRUNCATE/);
    expect(await api.count('audit_log')).toBe(rows);
  });
});
