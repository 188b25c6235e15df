import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertMailbox, insertMessage, insertQueued, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

/**
 * Mutations that write many rows run in one transaction: when a statement fails part-way (here a
 * trigger, made by the test in its own database, raises at a chosen write), nothing the mutation
 * already did survives. "Nothing" is checked on every table of the database, not on a chosen few.
 * Then, without the trigger, the same call succeeds: the failure was the injected one.
 */

interface Seeded {
  tenant: string;
  tenantName: string;
  domain: string;
  domainName: string;
  mailbox: string;
}

describe('multi-row mutations are all or nothing', () => {
  let api: TestApi;
  let admin: string;
  let serial = 0;

  beforeAll(async () => {
    // No stats timer: its snapshot rows would change the database under the comparison.
    api = await startApi({ settings: { statsIntervalMs: 0 } });
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await api.db.dataSource.query(`CREATE FUNCTION test_injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure: % on %', TG_OP, TG_TABLE_NAME; END $$`);
  });
  afterAll(async () => {
    await api?.close();
  });

  /** A tenant with a bit of everything: two mailboxes with mail (one blob shared), an alias, an admin, a key, queued mail, a burst block. */
  async function seedTenant(): Promise<Seeded> {
    const ds = api.db.dataSource;
    const n = ++serial;
    const tenantName = `Atomic ${n}`;
    const domainName = `atomic${n}.example`;
    const tenant = ok(await api.gql('mutation($n: String!) { createTenant(input: { name: $n }) { id } }', { n: tenantName }, admin)).createTenant.id;
    const domain = ok(await api.gql('mutation($t: ID!, $n: String!) { createDomain(input: { tenantId: $t, name: $n }) { id } }', { t: tenant, n: domainName }, admin)).createDomain.id;
    const mailbox = await insertMailbox(ds, domain, 'ann', 'ann-password-1');
    const other = await insertMailbox(ds, domain, 'bob', 'bob-password-1');
    await insertMessage(ds, mailbox, 'shared content');
    await insertMessage(ds, other, 'shared content');
    await insertMessage(ds, other, `only bob's ${n}`);
    ok(await api.gql('mutation($s: String!) { createAlias(input: { source: $s, destinations: ["x@remote.example"] }) { id } }', { s: `info@${domainName}` }, admin));
    await insertTenantAdmin(ds, tenant, `admin@${domainName}`, 'admin-password-1');
    ok(await api.gql('mutation($t: ID) { createApiKey(input: { name: "k", tenantId: $t }) { id } }', { t: tenant }, admin));
    await insertQueued(ds, mailbox, 'far@remote.example', `queued ${n}`);
    await ds.query(`UPDATE mailboxes SET outbound_blocked_at = now(), outbound_blocked_reason = 'burst' WHERE id = $1`, [mailbox]);
    await ds.query(`INSERT INTO abuse_events (tenant_id, mailbox_id, kind) SELECT $1, $2, 'send_burst' FROM generate_series(1, 2)`, [tenant, mailbox]);
    return { tenant, tenantName, domain, domainName, mailbox };
  }

  /** A fingerprint of every row of every table (the migrations' own bookkeeping aside). */
  async function everything(): Promise<Record<string, string>> {
    const tables: { name: string }[] = await api.db.dataSource.query(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const [{ rows, digest }] = await api.db.dataSource.query(`SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`);
      out[name] = `${rows} ${digest}`;
    }
    return out;
  }

  /**
   * Runs `mutation` once per failure point (a trigger raising at that write) and expects INTERNAL
   * with every table unchanged; then runs it without a trigger and expects success.
   */
  async function allOrNothing(doc: string, vars: Record<string, unknown>, failurePoints: { table: string; event: 'INSERT' | 'UPDATE' | 'DELETE'; when?: string }[]) {
    const ds = api.db.dataSource;
    for (const point of failurePoints) {
      const label = `${point.event} on ${point.table}${point.when ? ` when ${point.when}` : ''}`;
      const before = await everything();
      await ds.query(`CREATE TRIGGER test_fail BEFORE ${point.event} ON ${point.table} FOR EACH ROW WHEN (${point.when ?? 'true'}) EXECUTE FUNCTION test_injected_failure()`);
      try {
        const res = await api.gql(doc, vars, admin);
        expect(errorCode(res), label).toBe('INTERNAL');
        expect(api.logLines.some((l) => l.includes(`injected failure: ${point.event} on ${point.table}`)), `${label}: the injected failure is what stopped it`).toBe(true);
      } finally {
        await ds.query(`DROP TRIGGER test_fail ON ${point.table}`);
      }
      expect(await everything(), `${label}: something was half written`).toEqual(before);
    }
    const before = await everything();
    const done = await api.gql(doc, vars, admin);
    expect(done.errors, 'without an injected failure the mutation succeeds').toBeUndefined();
    expect(await everything()).not.toEqual(before);
    return done.data!;
  }

  it('deleteTenant: a failure after its mailboxes, mail, blobs and queue are gone leaves all of them in place', async () => {
    const t = await seedTenant();
    const data = await allOrNothing('mutation($id: ID!, $n: String!) { deleteTenant(input: { id: $id, confirmName: $n }) { tenantId mailboxesDeleted outboundCancelled } }', { id: t.tenant, n: t.tenantName }, [
      { table: 'mailboxes', event: 'DELETE' }, // after the queue was cancelled and blob references given back
      { table: 'tenants', event: 'DELETE' }, // after mailboxes, messages and unreferenced blobs went
      { table: 'audit_log', event: 'INSERT', when: `NEW.action = 'tenant.delete'` }, // the last write
    ]);
    expect(data.deleteTenant).toEqual({ tenantId: t.tenant, mailboxesDeleted: 2, outboundCancelled: 1 });
  });

  it('deleteDomain: a failure after its mailboxes and mail are gone leaves all of them in place', async () => {
    const t = await seedTenant();
    const data = await allOrNothing('mutation($id: ID!, $n: String!) { deleteDomain(input: { id: $id, confirmName: $n }) { domainId mailboxesDeleted aliasesDeleted } }', { id: t.domain, n: t.domainName }, [
      { table: 'blobs', event: 'DELETE' }, // after the mailboxes went, while unreferenced blobs go
      { table: 'domains', event: 'DELETE' },
      { table: 'audit_log', event: 'INSERT', when: `NEW.action = 'domain.delete'` },
    ]);
    expect(data.deleteDomain).toEqual({ domainId: t.domain, mailboxesDeleted: 2, aliasesDeleted: 1 });
  });

  it('changeTenantPlan: a failure after the tenant row changed leaves it on its plan', async () => {
    const t = await seedTenant();
    const gold = ok(await api.gql('mutation { createPlan(input: { name: "Atomic Gold" }) { id } }', {}, admin)).createPlan.id;
    const data = await allOrNothing('mutation($id: ID!, $p: ID!) { changeTenantPlan(id: $id, planId: $p) { plan { id } } }', { id: t.tenant, p: gold }, [
      { table: 'audit_log', event: 'INSERT', when: `NEW.action = 'tenant.change_plan'` },
    ]);
    expect(data.changeTenantPlan.plan.id).toBe(gold);
  });

  it('releaseMailbox: a failure after the block was lifted and the abuse events resolved leaves both as they were', async () => {
    const t = await seedTenant();
    const data = await allOrNothing('mutation($id: ID!) { releaseMailbox(id: $id) { id outboundBlockedAt } }', { id: t.mailbox }, [
      { table: 'audit_log', event: 'INSERT', when: `NEW.action = 'mailbox.release'` },
    ]);
    expect(data.releaseMailbox).toEqual({ id: t.mailbox, outboundBlockedAt: null });
  });
});
