import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, DEFAULT_QUOTA, startApi, type TestApi } from './helpers/start-api.js';

const CREATE_TENANT = `mutation($input: CreateTenantInput!) { createTenant(input: $input) { id name status plan { id name } } }`;
const CREATE_DOMAIN = `mutation($input: CreateDomainInput!) { createDomain(input: $input) { id name tenantId status } }`;
const CREATE_MAILBOX = `mutation($input: CreateMailboxInput!) {
  createMailbox(input: $input) { id address localPart domainId tenantId quotaBytes usedBytes usedMessages }
}`;

describe('thin path: tenant -> domain -> mailbox', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startApi();
    token = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates, normalises, stores folders and audit rows, and lists with pagination', async () => {
    const t = await api.gql(CREATE_TENANT, { input: { name: '  Acme Corp  ' } }, token);
    expect(t.errors).toBeUndefined();
    const tenant = t.data!.createTenant;
    expect(tenant).toMatchObject({ name: 'Acme Corp', status: 'active', plan: { name: 'Default' } });

    const d = await api.gql(CREATE_DOMAIN, { input: { tenantId: tenant.id, name: 'Bücher.Example.COM' } }, token);
    expect(d.errors).toBeUndefined();
    const domain = d.data!.createDomain;
    expect(domain).toMatchObject({ name: 'xn--bcher-kva.example.com', tenantId: tenant.id, status: 'active' });

    const m = await api.gql(CREATE_MAILBOX, { input: { domainId: domain.id, localPart: 'John.Doe', password: 'correct horse battery', displayName: 'John' } }, token);
    expect(m.errors).toBeUndefined();
    const mailbox = m.data!.createMailbox;
    expect(mailbox).toMatchObject({
      address: 'john.doe@xn--bcher-kva.example.com',
      localPart: 'john.doe',
      domainId: domain.id,
      tenantId: tenant.id,
      quotaBytes: DEFAULT_QUOTA,
      usedBytes: 0,
      usedMessages: 0,
    });

    // Exactly the five standard folders.
    const folders: { name: string; special_use: string | null }[] = await api.db.dataSource.query(
      'SELECT name, special_use FROM folders WHERE mailbox_id = $1 ORDER BY name',
      [mailbox.id],
    );
    expect(folders).toEqual([
      { name: 'Drafts', special_use: '\\Drafts' },
      { name: 'INBOX', special_use: null },
      { name: 'Junk', special_use: '\\Junk' },
      { name: 'Sent', special_use: '\\Sent' },
      { name: 'Trash', special_use: '\\Trash' },
    ]);

    // The password is stored as an argon2id hash and nowhere else in the row or the audit log.
    const [stored] = await api.db.dataSource.query('SELECT password_hash FROM mailboxes WHERE id = $1', [mailbox.id]);
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);

    const audit: Record<string, any>[] = await api.db.dataSource.query(
      `SELECT actor_type, actor_label, tenant_id, action, target_type, target_id, after, ip, request_id FROM audit_log
        WHERE action IN ('tenant.create', 'domain.create', 'mailbox.create') ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['tenant.create', 'domain.create', 'mailbox.create']);
    const mbAudit = audit[2]!;
    expect(mbAudit).toMatchObject({ actor_type: 'operator', actor_label: ADMIN_EMAIL, tenant_id: tenant.id, target_type: 'mailbox', target_id: mailbox.id });
    expect(mbAudit.after).toMatchObject({ address: mailbox.address, quotaBytes: DEFAULT_QUOTA });
    expect(mbAudit.ip).toMatch(/127\.0\.0\.1/);
    expect(mbAudit.request_id).toBeTruthy();
    expect(JSON.stringify(audit)).not.toMatch(/argon2|correct horse/);

    // Two more of each, then page through with first: 2.
    for (const n of [2, 3]) {
      const extraTenant = (await api.gql(CREATE_TENANT, { input: { name: `Tenant ${n}` } }, token)).data!.createTenant;
      expect(extraTenant.id).toBeTruthy();
      const extraDomain = (await api.gql(CREATE_DOMAIN, { input: { tenantId: tenant.id, name: `d${n}.example.com` } }, token)).data!.createDomain;
      expect(extraDomain.id).toBeTruthy();
      const extraMailbox = await api.gql(CREATE_MAILBOX, { input: { domainId: domain.id, localPart: `user${n}`, password: 'another-password' } }, token);
      expect(extraMailbox.errors).toBeUndefined();
    }

    for (const [field, args, expectedNames] of [
      ['tenants', '', ['Acme Corp', 'Tenant 2', 'Tenant 3']],
      ['domains', `tenantId: "${tenant.id}", `, ['xn--bcher-kva.example.com', 'd2.example.com', 'd3.example.com']],
      ['mailboxes', `domainId: "${domain.id}", `, ['john.doe', 'user2', 'user3']],
    ] as const) {
      const nameField = field === 'mailboxes' ? 'localPart' : 'name';
      const page = async (after: string | null) =>
        (
          await api.gql(
            `query($after: String) { ${field}(${args}first: 2, after: $after) { nodes { id ${nameField} } pageInfo { hasNextPage endCursor } totalCount } }`,
            { after },
            token,
          )
        ).data![field];
      const first = await page(null);
      expect(first.totalCount).toBe(3);
      expect(first.nodes).toHaveLength(2);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await page(first.pageInfo.endCursor);
      expect(second.totalCount).toBe(3);
      expect(second.nodes).toHaveLength(1);
      expect(second.pageInfo.hasNextPage).toBe(false);
      const names = [...first.nodes, ...second.nodes].map((n: Record<string, string>) => n[nameField]);
      expect(names, field).toEqual(expectedNames);
    }

    // Single fetches by id.
    expect((await api.gql(`{ tenant(id: "${tenant.id}") { name plan { name } } }`, {}, token)).data!.tenant).toEqual({ name: 'Acme Corp', plan: { name: 'Default' } });
    expect((await api.gql(`{ domain(id: "${domain.id}") { name } }`, {}, token)).data!.domain.name).toBe('xn--bcher-kva.example.com');
    expect((await api.gql(`{ mailbox(id: "${mailbox.id}") { address } }`, {}, token)).data!.mailbox.address).toBe(mailbox.address);
    const plans = (await api.gql('{ plans { nodes { name maxDomains defaultMailboxQuotaBytes } totalCount } }', {}, token)).data!.plans;
    expect(plans).toEqual({ nodes: [{ name: 'Default', maxDomains: 10, defaultMailboxQuotaBytes: DEFAULT_QUOTA }], totalCount: 1 });
  });

  it('pages correctly through rows created in the same transaction (same created_at)', async () => {
    // Rows inserted in one statement share now(): the id breaks the tie, and no row is skipped or repeated.
    await api.db.dataSource.query(
      `INSERT INTO tenants (name, plan_id) SELECT 'Batch ' || g, p.id FROM generate_series(1, 7) g, plans p WHERE p.name = 'Default'`,
    );
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const res = await api.gql('query($after: String) { tenants(first: 3, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }', { after }, token);
      const conn: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } = res.data!.tenants;
      total = conn.totalCount;
      seen.push(...conn.nodes.map((n) => n.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(total);
    expect(total).toBe(await api.count('tenants'));
  });

  it('refuses page sizes above 200 and malformed cursors with VALIDATION', async () => {
    const big = await api.gql('{ tenants(first: 201) { totalCount } }', {}, token);
    expect(big.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION', max: 200 });
    const bad = await api.gql('{ tenants(after: "bm90LWEtY3Vyc29y") { totalCount } }', {}, token);
    expect(bad.errors![0]!.extensions!.code).toBe('VALIDATION');
    const ok = await api.gql('{ tenants(first: 200) { totalCount } }', {}, token);
    expect(ok.errors).toBeUndefined();
  });
});
