import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from './helpers/graphql-client.js';
import { insertQueued } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

/**
 * Every list query, paged two at a time through `after: endCursor` in every order it offers, must
 * give each row exactly once, in the order PostgreSQL gives for (sort column, id), with the same
 * totalCount on every page. Rows are copied in one INSERT each, so they share created_at (and other
 * sort values): only the id tie-breaker keeps such pages from skipping or repeating rows.
 */

type Direction = 'ASC' | 'DESC';
interface ListCase {
  readonly table: string;
  /** The `orderBy` input type; lists without one sort by time through `oldestFirst`. */
  readonly orderType?: string;
  readonly defaultDirection: Direction;
}

const LISTS: Record<string, ListCase> = {
  plans: { table: 'plans', orderType: 'PlanOrder', defaultDirection: 'ASC' },
  tenants: { table: 'tenants', orderType: 'TenantOrder', defaultDirection: 'ASC' },
  domains: { table: 'domains', orderType: 'DomainOrder', defaultDirection: 'ASC' },
  mailboxes: { table: 'mailboxes', orderType: 'MailboxOrder', defaultDirection: 'ASC' },
  aliases: { table: 'aliases', orderType: 'AliasOrder', defaultDirection: 'ASC' },
  operators: { table: 'operators', orderType: 'OperatorOrder', defaultDirection: 'ASC' },
  apiKeys: { table: 'api_keys', orderType: 'ApiKeyOrder', defaultDirection: 'ASC' },
  outboundQueue: { table: 'outbound_queue', orderType: 'QueueOrder', defaultDirection: 'DESC' },
  abuseEvents: { table: 'abuse_events', defaultDirection: 'DESC' },
  auditLog: { table: 'audit_log', defaultDirection: 'DESC' },
};

/** One way to ask for a list: the arguments and the (column, direction) it must follow. */
interface Ordering {
  readonly label: string;
  readonly args: Record<string, unknown>;
  readonly column: string;
  readonly direction: Direction;
}

const COPIES = 6;

describe('cursor pagination on every list', () => {
  let api: TestApi;
  let admin: string;

  /** `n` copies of one row, in one INSERT (one now(): equal created_at), with columns set by SQL of `g` (1..n) and `src`. */
  async function copyRow(table: string, id: string, set: Record<string, string> = {}): Promise<void> {
    const columns: string[] = (
      await api.db.dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [table])
    )
      .map((c: { column_name: string }) => c.column_name)
      .filter((c: string) => !['id', 'created_at', 'updated_at'].includes(c));
    const values = columns.map((c) => set[c] ?? `src.${c}`);
    await api.db.dataSource.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM ${table} src, generate_series(1, ${COPIES}) g WHERE src.id = $1`,
      [id],
    );
  }

  beforeAll(async () => {
    api = await startApi();
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const gql = async (doc: string, vars: Record<string, unknown> = {}) => ok(await api.gql(doc, vars, admin));
    // One of everything through the API, then copies. Text sort values run against creation order.
    const plan = (await gql('mutation { createPlan(input: { name: "Pages plan" }) { id } }')).createPlan.id;
    const tenant = (await gql('mutation($p: ID) { createTenant(input: { name: "Pages Co", planId: $p }) { id } }', { p: plan })).createTenant.id;
    const domain = (await gql('mutation($t: ID!) { createDomain(input: { tenantId: $t, name: "pages.example" }) { id } }', { t: tenant })).createDomain.id;
    const mailbox = (await gql('mutation($d: ID!) { createMailbox(input: { domainId: $d, localPart: "paula", password: "a-long-password" }) { id } }', { d: domain })).createMailbox.id;
    const alias = (await gql('mutation { createAlias(input: { source: "sales@pages.example", destinations: ["paula@pages.example"] }) { id } }')).createAlias.id;
    const operator = (await gql('mutation($t: ID) { createOperator(input: { email: "boss@pages.example", password: "a-long-password", role: TENANT_ADMIN, tenantId: $t }) { id } }', { t: tenant })).createOperator.id;
    const apiKey = (await gql('mutation($t: ID) { createApiKey(input: { name: "pages key", tenantId: $t }) { id } }', { t: tenant })).createApiKey.id;
    const queued = (await insertQueued(api.db.dataSource, mailbox, 'far@remote.example', 'queued mail')).id;
    const [abuse] = await api.db.dataSource.query(`INSERT INTO abuse_events (tenant_id, mailbox_id, kind) VALUES ($1, $2, 'send_burst') RETURNING id`, [tenant, mailbox]);
    const [audit] = await api.db.dataSource.query(`SELECT id FROM audit_log ORDER BY id DESC LIMIT 1`);

    const reversed = `(${COPIES + 1} - g)`; // copy 1 sorts last by name
    await copyRow('plans', plan, { name: `'Plan ' || ${reversed}` });
    await copyRow('tenants', tenant, { name: `'Tenant ' || ${reversed}`, external_id: 'NULL' });
    await copyRow('domains', domain, { name: `'d' || ${reversed} || '.example'` });
    await copyRow('mailboxes', mailbox, { local_part: `'m' || ${reversed}`, address: `'m' || ${reversed} || '@pages.example'`, used_bytes: '(g % 3) * 10' });
    await copyRow('aliases', alias, { source: `'a' || ${reversed} || '@pages.example'` });
    await copyRow('operators', operator, { email: `'op' || ${reversed} || '@pages.example'` });
    await copyRow('api_keys', apiKey, { name: `'key ' || ${reversed}`, prefix: `'dmk_' || lpad(g::text, 8, '0')`, secret_hash: `md5(g::text) || md5(g::text)` });
    await copyRow('outbound_queue', queued, { next_attempt_at: `src.next_attempt_at + (g % 2) * interval '1 minute'` });
    await copyRow('abuse_events', String(abuse.id));
    await copyRow('audit_log', String(audit.id));
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Every order a list offers: each orderBy field both ways (or oldestFirst both ways), and the default. */
  async function orderingsOf(list: ListCase): Promise<Ordering[]> {
    const byDefault: Ordering = { label: 'default', args: {}, column: 'created_at', direction: list.defaultDirection };
    if (!list.orderType) {
      return [byDefault, ...(['ASC', 'DESC'] as const).map((direction) => ({ label: `oldestFirst ${direction === 'ASC'}`, args: { oldestFirst: direction === 'ASC' }, column: 'created_at', direction }))];
    }
    const fields: string[] = ok(await api.gql('query($t: String!) { __type(name: $t) { enumValues { name } } }', { t: `${list.orderType}Field` }, admin)).__type.enumValues.map(
      (v: { name: string }) => v.name,
    );
    expect(fields.length, list.orderType).toBeGreaterThan(1);
    // Each field enum value names its column: CREATED_AT -> created_at, USED_BYTES -> used_bytes.
    return [byDefault, ...fields.flatMap((field) => (['ASC', 'DESC'] as const).map((direction) => ({ label: `${field} ${direction}`, args: { orderBy: { field, direction } }, column: field.toLowerCase(), direction })))];
  }

  it('has a case for every list query of the schema', async () => {
    const fields = ok(await api.gql('{ __schema { queryType { fields { name type { ofType { name } } } } } }', {}, admin)).__schema.queryType.fields;
    const lists = fields.filter((f: { type: { ofType: { name: string } | null } }) => f.type.ofType?.name?.endsWith('Connection')).map((f: { name: string }) => f.name);
    expect(lists.sort()).toEqual(Object.keys(LISTS).sort());
  });

  it.each(Object.keys(LISTS))('%s: first: 2 and after: endCursor reach every row once, in order, in every sort', async (name) => {
    const list = LISTS[name]!;
    const [{ n }] = await api.db.dataSource.query(`SELECT count(*)::int AS n FROM ${list.table}`);
    expect(n, 'enough rows for several pages').toBeGreaterThanOrEqual(COPIES + 1);
    const argTypes = list.orderType ? `$orderBy: ${list.orderType}` : '$oldestFirst: Boolean';
    const argUse = list.orderType ? 'orderBy: $orderBy' : 'oldestFirst: $oldestFirst';
    const doc = `query($after: String, ${argTypes}) { ${name}(first: 2, after: $after, ${argUse}) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;
    for (const order of await orderingsOf(list)) {
      // (bigint ids come back as text; ordering by a text alias would sort '9' after '14'.)
      const expected = (await api.db.dataSource.query(`SELECT id FROM ${list.table} ORDER BY ${order.column} ${order.direction}, id ${order.direction}`)).map((r: { id: string }) => String(r.id));
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; ; page++) {
        expect(page, `${order.label}: more pages than rows`).toBeLessThanOrEqual(n);
        const conn: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number } = ok(
          await api.gql(doc, { after, ...order.args }, admin),
        )[name];
        expect(conn.totalCount, `${order.label}: totalCount on page ${page}`).toBe(n);
        seen.push(...conn.nodes.map((x) => x.id));
        if (!conn.pageInfo.hasNextPage) break;
        expect(conn.nodes, `${order.label}: a page before the last is full`).toHaveLength(2);
        after = conn.pageInfo.endCursor;
        expect(after, `${order.label}: a page with a next page has an endCursor`).toBeTruthy();
      }
      expect(new Set(seen).size, `${order.label}: no row twice`).toBe(seen.length);
      expect(seen, `${order.label}: every row, in (${order.column}, id) ${order.direction} order`).toEqual(expected);
    }
  });
});
