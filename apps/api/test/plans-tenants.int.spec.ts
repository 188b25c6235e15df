import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertMailbox, insertMessage, insertQueued, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const GiB = 1024 ** 3;
const CREATE_PLAN = `mutation($i: CreatePlanInput!) { createPlan(input: $i) { id name maxDomains maxMailboxes maxAliases storageBytes defaultMailboxQuotaBytes maxMailboxQuotaBytes sendPerMinute sendPerHour sendPerDay imapEnabled pop3Enabled } }`;

describe('plans and tenants', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('createPlan takes the public contract fields and defaults the rest', async () => {
    const plan = ok(
      await api.gql(CREATE_PLAN, { i: { name: 'Small', maxDomains: 1, maxMailboxes: 2, storageBytes: 5 * GiB, sendPerMinute: 5, sendPerHour: 50, sendPerDay: 200 } }, admin),
    ).createPlan;
    expect(plan).toMatchObject({
      name: 'Small',
      maxDomains: 1,
      maxMailboxes: 2,
      maxAliases: 500,
      storageBytes: 5 * GiB,
      defaultMailboxQuotaBytes: GiB,
      maxMailboxQuotaBytes: 5 * GiB,
      sendPerMinute: 5,
      sendPerHour: 50,
      sendPerDay: 200,
      imapEnabled: true,
      pop3Enabled: true,
    });
    const [audit] = await api.db.dataSource.query(`SELECT action, after FROM audit_log WHERE target_id = $1`, [plan.id]);
    expect(audit).toMatchObject({ action: 'plan.create', after: { name: 'Small', maxDomains: 1 } });
    expect(errorCode(await api.gql(CREATE_PLAN, { i: { name: 'Small' } }, admin))).toBe('CONFLICT');
    expect(errorCode(await api.gql(CREATE_PLAN, { i: { name: 'Bad', maxDomains: -1 } }, admin))).toBe('VALIDATION');
    expect(errorCode(await api.gql(CREATE_PLAN, { i: { name: 'Bad', storageBytes: 10, defaultMailboxQuotaBytes: 20 } }, admin))).toBe('VALIDATION');
  });

  it('updatePlan changes only what is given; deletePlan refuses while tenants use the plan', async () => {
    const plan = ok(await api.gql(CREATE_PLAN, { i: { name: 'Editable' } }, admin)).createPlan;
    const updated = ok(await api.gql('mutation($id: ID!) { updatePlan(id: $id, input: { maxAliases: 7, pop3Enabled: false }) { name maxAliases pop3Enabled maxDomains } }', { id: plan.id }, admin)).updatePlan;
    expect(updated).toEqual({ name: 'Editable', maxAliases: 7, pop3Enabled: false, maxDomains: 10 });
    const tenant = ok(await api.gql('mutation($p: ID) { createTenant(input: { name: "On Editable", planId: $p }) { id } }', { p: plan.id }, admin)).createTenant;
    const refused = await api.gql('mutation($id: ID!) { deletePlan(id: $id) { id } }', { id: plan.id }, admin);
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors![0]!.extensions!.tenants).toBe(1);
    const spare = ok(await api.gql(CREATE_PLAN, { i: { name: 'Spare' } }, admin)).createPlan;
    expect(ok(await api.gql('mutation($id: ID!) { deletePlan(id: $id) { id } }', { id: spare.id }, admin)).deletePlan.id).toBe(spare.id);
    expect(tenant.id).toBeTruthy();
  });

  it('createPlan and updatePlan set every limit, read back through the API and as the engine reads them', async () => {
    const MiB = 1024 ** 2;
    // Every input field, each different from its default, so a field that is dropped shows.
    const created = { name: 'Every Limit', maxDomains: 3, maxMailboxes: 4, maxAliases: 5, storageBytes: 7 * GiB, defaultMailboxQuotaBytes: 2 * GiB, maxMailboxQuotaBytes: 3 * GiB, maxMessageBytes: 25 * MiB, maxRecipientsPerMessage: 9, sendPerMinute: 6, sendPerHour: 70, sendPerDay: 800, imapEnabled: false, pop3Enabled: false };
    const updated = { name: 'Every Limit 2', maxDomains: 13, maxMailboxes: 14, maxAliases: 15, storageBytes: 17 * GiB, defaultMailboxQuotaBytes: 4 * GiB, maxMailboxQuotaBytes: 6 * GiB, maxMessageBytes: 30 * MiB, maxRecipientsPerMessage: 19, sendPerMinute: 16, sendPerHour: 170, sendPerDay: 1800, imapEnabled: true, pop3Enabled: true };
    const fieldNames = async (type: string): Promise<string[]> => {
      const t = ok(await api.gql('query($t: String!) { __type(name: $t) { inputFields { name } fields { name } } }', { t: type }, admin)).__type;
      return (t.inputFields ?? t.fields).map((f: { name: string }) => f.name).sort();
    };
    expect(await fieldNames('CreatePlanInput'), 'a CreatePlanInput field this test does not set').toEqual(Object.keys(created).sort());
    expect(await fieldNames('UpdatePlanInput'), 'an UpdatePlanInput field this test does not set').toEqual(Object.keys(updated).sort());
    expect(await fieldNames('Plan')).toEqual([...Object.keys(created), 'id', 'createdAt'].sort());
    const selection = Object.keys(created).join(' ');
    const defaults = ok(await api.gql(`mutation { createPlan(input: { name: "Defaults Only" }) { ${selection} } }`, {}, admin)).createPlan;
    for (const [field, value] of Object.entries(created)) expect(value, `${field} equals its default`).not.toEqual(defaults[field]);

    const plan = ok(await api.gql(`mutation($i: CreatePlanInput!) { createPlan(input: $i) { id ${selection} } }`, { i: created }, admin)).createPlan;
    expect(plan).toEqual({ id: plan.id, ...created });
    const read = () => api.gql(`query($id: ID!) { plan(id: $id) { ${selection} } plans(nameContains: "Every Limit") { nodes { ${selection} } } }`, { id: plan.id }, admin);
    expect(ok(await read())).toEqual({ plan: created, plans: { nodes: [created] } });
    // The row the engine reads (max_message_bytes, max_recipients_per_message, rates, switches).
    const row = async () => (await api.db.dataSource.query(`SELECT * FROM plans WHERE id = $1`, [plan.id]))[0];
    expect(await row()).toMatchObject({ max_message_bytes: String(created.maxMessageBytes), max_recipients_per_message: 9, send_per_minute: 6, send_per_hour: 70, send_per_day: 800, imap_enabled: false, pop3_enabled: false });

    expect(ok(await api.gql(`mutation($id: ID!, $i: UpdatePlanInput!) { updatePlan(id: $id, input: $i) { ${selection} } }`, { id: plan.id, i: updated }, admin)).updatePlan).toEqual(updated);
    expect(ok(await read()).plan).toEqual(updated);
    expect(await row()).toMatchObject({ max_message_bytes: String(updated.maxMessageBytes), max_recipients_per_message: 19, send_per_minute: 16, imap_enabled: true, pop3_enabled: true });
  });

  it('a tenant admin can read its plan but never change a limit', async () => {
    const t = ok(await api.gql('mutation { createTenant(input: { name: "Reader" }) { id plan { id } } }', {}, admin)).createTenant;
    await insertTenantAdmin(api.db.dataSource, t.id, 'reader@t.test', 'reader-password');
    const ta = await api.login('reader@t.test', 'reader-password');
    expect(ok(await api.gql('{ plans { nodes { id } } }', {}, ta)).plans.nodes).toEqual([{ id: t.plan.id }]);
    expect(errorCode(await api.gql(CREATE_PLAN, { i: { name: 'Mine' } }, ta))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('mutation($id: ID!) { updatePlan(id: $id, input: { maxDomains: 1000 }) { id } }', { id: t.plan.id }, ta))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('mutation($id: ID!, $p: ID!) { changeTenantPlan(id: $id, planId: $p) { id } }', { id: t.id, p: t.plan.id }, ta))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql('mutation($id: ID!) { setMailboxLimits(id: $id, input: { sendPerDay: 100000 }) { id } }', { id: t.id }, ta))).toBe('FORBIDDEN');
  });

  it('suspend and unsuspend with a reason, recorded before and after', async () => {
    const t = ok(await api.gql('mutation { createTenant(input: { name: "Late Payer", externalId: "cust-42" }) { id externalId } }', {}, admin)).createTenant;
    expect(t.externalId).toBe('cust-42');
    expect(errorCode(await api.gql('mutation($id: ID!) { suspendTenant(id: $id, reason: "  ") { id } }', { id: t.id }, admin))).toBe('VALIDATION');
    const s = ok(await api.gql('mutation($id: ID!) { suspendTenant(id: $id, reason: "Invoice 17 unpaid") { status suspensionReason } }', { id: t.id }, admin)).suspendTenant;
    expect(s).toEqual({ status: 'suspended', suspensionReason: 'Invoice 17 unpaid' });
    const u = ok(await api.gql('mutation($id: ID!) { unsuspendTenant(id: $id) { status suspensionReason } }', { id: t.id }, admin)).unsuspendTenant;
    expect(u).toEqual({ status: 'active', suspensionReason: null });
    const audit = await api.db.dataSource.query(`SELECT action, before->>'status' AS b, after->>'status' AS a FROM audit_log WHERE target_id = $1 ORDER BY id`, [t.id]);
    expect(audit).toEqual([
      { action: 'tenant.create', b: null, a: 'active' },
      { action: 'tenant.suspend', b: 'active', a: 'suspended' },
      { action: 'tenant.unsuspend', b: 'suspended', a: 'active' },
    ]);
    expect(ok(await api.gql('{ tenants(externalId: "cust-42") { nodes { id } } }', {}, admin)).tenants.nodes).toEqual([{ id: t.id }]);
    expect(errorCode(await api.gql('mutation { createTenant(input: { name: "Dup", externalId: "cust-42" }) { id } }', {}, admin))).toBe('CONFLICT');
  });

  it('changeTenantPlan refuses a plan the tenant does not fit, with the numbers', async () => {
    const t = ok(await api.gql('mutation { createTenant(input: { name: "Grower" }) { id } }', {}, admin)).createTenant;
    for (const n of ['one.test', 'two.test']) ok(await api.gql('mutation($t: ID!, $n: String!) { createDomain(input: { tenantId: $t, name: $n }) { id } }', { t: t.id, n }, admin));
    const tiny = ok(await api.gql(CREATE_PLAN, { i: { name: 'Tiny', maxDomains: 1 } }, admin)).createPlan;
    const res = await api.gql('mutation($id: ID!, $p: ID!) { changeTenantPlan(id: $id, planId: $p) { id } }', { id: t.id, p: tiny.id }, admin);
    expect(errorCode(res)).toBe('LIMIT_EXCEEDED');
    expect(res.errors![0]!.extensions).toMatchObject({ limit: 'maxDomains', max: 1, current: 2 });
    const roomy = ok(await api.gql(CREATE_PLAN, { i: { name: 'Roomy', maxDomains: 50 } }, admin)).createPlan;
    const moved = ok(await api.gql('mutation($id: ID!, $p: ID!) { changeTenantPlan(id: $id, planId: $p) { plan { name } } }', { id: t.id, p: roomy.id }, admin)).changeTenantPlan;
    expect(moved.plan.name).toBe('Roomy');
  });

  it('usage: counts and storage against the plan', async () => {
    const t = ok(await api.gql('mutation { createTenant(input: { name: "Measured" }) { id } }', {}, admin)).createTenant;
    const d = ok(await api.gql('mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "measured.test" }) { id } }', { t: t.id }, admin)).createDomain;
    const mb = await insertMailbox(api.db.dataSource, d.id, 'm1', 'password-1234');
    await insertMessage(api.db.dataSource, mb, 'Subject: a\r\n\r\nhello');
    await insertMessage(api.db.dataSource, mb, 'Subject: b\r\n\r\nhello again');
    const usage = ok(await api.gql('query($id: ID!) { tenantUsage(tenantId: $id) { domains { used limit percent } mailboxes { used limit } aliases { used } storageAllocated { used limit } storageUsedBytes messages } }', { id: t.id }, admin)).tenantUsage;
    expect(usage).toEqual({
      domains: { used: 1, limit: 10, percent: 10 },
      mailboxes: { used: 1, limit: 100 },
      aliases: { used: 0 },
      storageAllocated: { used: 1048576, limit: 100 * 100 * 1024 * 1024 },
      storageUsedBytes: 'Subject: a\r\n\r\nhello'.length + 'Subject: b\r\n\r\nhello again'.length,
      messages: 2,
    });
    const viaTenant = ok(await api.gql('query($id: ID!) { tenant(id: $id) { usage { messages } } }', { id: t.id }, admin)).tenant.usage;
    expect(viaTenant.messages).toBe(2);
    const mbUsage = ok(await api.gql('query($id: ID!) { mailboxUsage(mailboxId: $id) { storage { used limit } messages } }', { id: mb }, admin)).mailboxUsage;
    expect(mbUsage.messages).toBe(2);
  });

  it('per-day traffic comes from the engine counters, per tenant and per mailbox', async () => {
    const t = ok(await api.gql('mutation { createTenant(input: { name: "Traffic" }) { id } }', {}, admin)).createTenant;
    const d = ok(await api.gql('mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "traffic.test" }) { id } }', { t: t.id }, admin)).createDomain;
    const a = await insertMailbox(api.db.dataSource, d.id, 'a', 'password-1234');
    const b = await insertMailbox(api.db.dataSource, d.id, 'b', 'password-1234');
    await api.db.dataSource.query(
      `INSERT INTO mail_stats_daily (day, mailbox_id, tenant_id, received_messages, received_bytes, sent_messages, sent_bytes)
       VALUES ('2026-11-01', $1, $3, 3, 300, 1, 100), ('2026-11-01', $2, $3, 2, 200, 0, 0), ('2026-11-03', $1, $3, 1, 10, 5, 50)`,
      [a, b, t.id],
    );
    const q = 'query($t: ID, $m: ID) { mailTraffic(from: "2026-11-01", to: "2026-11-30", tenantId: $t, mailboxId: $m) { day receivedMessages receivedBytes sentMessages sentBytes } }';
    expect(ok(await api.gql(q, { t: t.id }, admin)).mailTraffic).toEqual([
      { day: '2026-11-01', receivedMessages: 5, receivedBytes: 500, sentMessages: 1, sentBytes: 100 },
      { day: '2026-11-03', receivedMessages: 1, receivedBytes: 10, sentMessages: 5, sentBytes: 50 },
    ]);
    expect(ok(await api.gql(q, { m: b }, admin)).mailTraffic).toEqual([{ day: '2026-11-01', receivedMessages: 2, receivedBytes: 200, sentMessages: 0, sentBytes: 0 }]);
    expect(errorCode(await api.gql('{ mailTraffic(from: "2026-01-01", to: "2027-06-01", tenantId: "x") { day } }', {}, admin))).toBe('VALIDATION');
  });

  it('deleteTenant needs the exact name, removes everything with its mail, gives blobs back and cancels unsent mail', async () => {
    const t = ok(await api.gql('mutation { createTenant(input: { name: "Leaving" }) { id } }', {}, admin)).createTenant;
    const d = ok(await api.gql('mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "leaving.test" }) { id } }', { t: t.id }, admin)).createDomain;
    const mb = await insertMailbox(api.db.dataSource, d.id, 'x', 'password-1234');
    await insertMessage(api.db.dataSource, mb, 'only here');
    await insertQueued(api.db.dataSource, mb, 'someone@remote.test', 'outbound only here');
    // A blob shared with another tenant's message stays, with one reference less.
    const other = ok(await api.gql('mutation { createTenant(input: { name: "Staying" }) { id } }', {}, admin)).createTenant;
    const od = ok(await api.gql('mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "staying.test" }) { id } }', { t: other.id }, admin)).createDomain;
    const omb = await insertMailbox(api.db.dataSource, od.id, 'y', 'password-1234');
    const { blobId: shared } = await insertMessage(api.db.dataSource, omb, 'shared content');
    await insertMessage(api.db.dataSource, mb, 'shared content');
    const blobsBefore = await api.count('blobs');

    expect(errorCode(await api.gql('mutation($id: ID!) { deleteTenant(input: { id: $id, confirmName: "leaving" }) { tenantId } }', { id: t.id }, admin))).toBe('VALIDATION');
    const res = ok(
      await api.gql('mutation($id: ID!) { deleteTenant(input: { id: $id, confirmName: "Leaving" }) { tenantId domainsDeleted mailboxesDeleted messagesDeleted outboundCancelled } }', { id: t.id }, admin),
    ).deleteTenant;
    expect(res).toEqual({ tenantId: t.id, domainsDeleted: 1, mailboxesDeleted: 1, messagesDeleted: 2, outboundCancelled: 1 });
    expect(await api.count('blobs')).toBe(blobsBefore - 2);
    const [sharedRow] = await api.db.dataSource.query('SELECT refcount FROM blobs WHERE id = $1', [shared]);
    expect(sharedRow.refcount).toBe(1);
    const [audit] = await api.db.dataSource.query(`SELECT action, after FROM audit_log WHERE action = 'tenant.delete' AND target_id = $1`, [t.id]);
    expect(audit.after).toMatchObject({ mailboxesDeleted: 1, messagesDeleted: 2 });
    expect(errorCode(await api.gql('query($id: ID!) { tenant(id: $id) { id } }', { id: t.id }, admin))).toBe('NOT_FOUND');
  });

  it('lists filter and sort tenants', async () => {
    const res = ok(await api.gql('{ tenants(nameContains: "e", orderBy: { field: NAME, direction: DESC }, first: 3) { nodes { name } totalCount pageInfo { hasNextPage endCursor } } }', {}, admin)).tenants;
    const names = res.nodes.map((n: { name: string }) => n.name);
    expect([...names].sort().reverse()).toEqual(names);
    const next = ok(await api.gql('query($a: String) { tenants(nameContains: "e", orderBy: { field: NAME, direction: DESC }, first: 3, after: $a) { nodes { name } } }', { a: res.pageInfo.endCursor }, admin)).tenants;
    expect(next.nodes[0]?.name <= names[2]).toBe(true);
    const wrongOrder = await api.gql('query($a: String) { tenants(first: 3, after: $a) { nodes { name } } }', { a: res.pageInfo.endCursor }, admin);
    expect(errorCode(wrongOrder)).toBe('VALIDATION');
    const suspended = ok(await api.gql('{ tenants(status: suspended) { totalCount } }', {}, admin)).tenants;
    expect(suspended.totalCount).toBe(0);
  });
});
