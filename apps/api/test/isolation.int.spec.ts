import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './helpers/graphql-client.js';
import { insertDomain, insertMailbox, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { startApi, type TestApi } from './helpers/start-api.js';

const ids = (conn: { nodes: { id: string }[] }) => conn.nodes.map((n) => n.id).sort();

describe('tenant isolation', () => {
  let api: TestApi;
  const a = { tenant: '', domain: '', mailbox: '', mailbox2: '', admin: '' };
  const b = { tenant: '', domain: '', mailbox: '' };

  beforeAll(async () => {
    api = await startApi();
    const ds = api.db.dataSource;
    a.tenant = await insertTenant(ds, 'Tenant A');
    a.domain = await insertDomain(ds, a.tenant, 'a.example');
    a.mailbox = await insertMailbox(ds, a.domain, 'alice', 'alice-password');
    a.mailbox2 = await insertMailbox(ds, a.domain, 'anna', 'anna-password1');
    await insertTenantAdmin(ds, a.tenant, 'admin@a.example', 'tenant-a-password');
    b.tenant = await insertTenant(ds, 'Tenant B');
    b.domain = await insertDomain(ds, b.tenant, 'b.example');
    b.mailbox = await insertMailbox(ds, b.domain, 'bob', 'bob-password12');
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('a tenant admin', () => {
    let token: string;
    beforeAll(async () => {
      token = await api.login('admin@a.example', 'tenant-a-password');
    });

    it('is told who it is', async () => {
      const me = (await api.gql('{ me { kind role email tenantId } }', {}, token)).data!.me;
      expect(me).toEqual({ kind: 'operator', role: 'tenant_admin', email: 'admin@a.example', tenantId: a.tenant });
    });

    it("lists only its own tenant's tenants, domains and mailboxes", async () => {
      const res = await api.gql(
        `{ tenants { nodes { id } totalCount } domains { nodes { id } totalCount } mailboxes { nodes { id } totalCount } plans { totalCount } }`,
        {},
        token,
      );
      expect(res.errors).toBeUndefined();
      expect(ids(res.data!.tenants)).toEqual([a.tenant]);
      expect(res.data!.tenants.totalCount).toBe(1);
      expect(ids(res.data!.domains)).toEqual([a.domain]);
      expect(res.data!.domains.totalCount).toBe(1);
      expect(ids(res.data!.mailboxes)).toEqual([a.mailbox, a.mailbox2].sort());
      expect(res.data!.mailboxes.totalCount).toBe(2);
      expect(res.data!.plans.totalCount).toBe(1);
    });

    it("gets nothing when filtering on the other tenant's ids", async () => {
      const res = await api.gql(
        `query($t: ID, $d: ID) { domains(tenantId: $t) { totalCount } mailboxes(tenantId: $t) { totalCount } byDomain: mailboxes(domainId: $d) { totalCount } }`,
        { t: b.tenant, d: b.domain },
        token,
      );
      expect(res.data).toEqual({ domains: { totalCount: 0 }, mailboxes: { totalCount: 0 }, byDomain: { totalCount: 0 } });
    });

    it("gets NOT_FOUND for the other tenant's objects by id", async () => {
      expect(errorCode(await api.gql(`{ tenant(id: "${b.tenant}") { id } }`, {}, token))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(`{ domain(id: "${b.domain}") { id } }`, {}, token))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(`{ mailbox(id: "${b.mailbox}") { id } }`, {}, token))).toBe('NOT_FOUND');
      // Its own are found, so the NOT_FOUNDs above are about scope.
      expect((await api.gql(`{ domain(id: "${a.domain}") { name } }`, {}, token)).data!.domain.name).toBe('a.example');
    });

    it("cannot create in the other tenant (NOT_FOUND, nothing written), but can in its own", async () => {
      const before = await Promise.all(['domains', 'mailboxes', 'folders', 'audit_log'].map((t) => api.count(t)));
      const mb = await api.gql(
        'mutation($i: CreateMailboxInput!) { createMailbox(input: $i) { id } }',
        { i: { domainId: b.domain, localPart: 'intruder', password: 'a-long-password' } },
        token,
      );
      expect(errorCode(mb)).toBe('NOT_FOUND');
      const dom = await api.gql('mutation($i: CreateDomainInput!) { createDomain(input: $i) { id } }', { i: { tenantId: b.tenant, name: 'sneaky.example' } }, token);
      expect(errorCode(dom)).toBe('NOT_FOUND');
      expect(await Promise.all(['domains', 'mailboxes', 'folders', 'audit_log'].map((t) => api.count(t)))).toEqual(before);

      const own = await api.gql(
        'mutation($i: CreateMailboxInput!) { createMailbox(input: $i) { id tenantId } }',
        { i: { domainId: a.domain, localPart: 'newbie', password: 'a-long-password' } },
        token,
      );
      expect(own.errors).toBeUndefined();
      expect(own.data!.createMailbox.tenantId).toBe(a.tenant);
      const [audit] = await api.db.dataSource.query(`SELECT actor_label, tenant_id FROM audit_log WHERE target_id = $1`, [own.data!.createMailbox.id]);
      expect(audit).toEqual({ actor_label: 'admin@a.example', tenant_id: a.tenant });
    });

    it('may not create tenants', async () => {
      expect(errorCode(await api.gql('mutation { createTenant(input: { name: "Mine" }) { id } }', {}, token))).toBe('FORBIDDEN');
    });
  });

  describe('a mailbox owner', () => {
    let token: string;
    beforeAll(async () => {
      token = await api.login('alice@a.example', 'alice-password');
    });

    it('sees only its own mailbox', async () => {
      const list = (await api.gql('{ mailboxes { nodes { id address } totalCount } }', {}, token)).data!.mailboxes;
      expect(list).toEqual({ nodes: [{ id: a.mailbox, address: 'alice@a.example' }], totalCount: 1 });
      expect((await api.gql(`{ mailbox(id: "${a.mailbox}") { address } }`, {}, token)).data!.mailbox.address).toBe('alice@a.example');
      // Not even a neighbour on the same domain, nor anything in another tenant.
      expect(errorCode(await api.gql(`{ mailbox(id: "${a.mailbox2}") { id } }`, {}, token))).toBe('NOT_FOUND');
      expect(errorCode(await api.gql(`{ mailbox(id: "${b.mailbox}") { id } }`, {}, token))).toBe('NOT_FOUND');
    });

    it('cannot reach domain or tenant queries at all', async () => {
      expect(errorCode(await api.gql('{ domains { totalCount } }', {}, token))).toBe('FORBIDDEN');
      expect(errorCode(await api.gql(`{ tenant(id: "${a.tenant}") { id } }`, {}, token))).toBe('FORBIDDEN');
    });
  });

  it('the platform admin sees every tenant', async () => {
    const token = await api.login('admin@darwin.test', 'admin-password-123');
    const res = (await api.gql('{ tenants { totalCount } domains { totalCount } mailboxes { totalCount } }', {}, token)).data!;
    expect(res).toEqual({ tenants: { totalCount: 2 }, domains: { totalCount: 2 }, mailboxes: { totalCount: await api.count('mailboxes') } });
  });
});
