import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../../tools/test-support/poll-until.js';
import { errorCode, ok } from './helpers/graphql-client.js';
import { insertDomain, insertMailbox, insertQueued, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const PLATFORM = `query($f: String!, $t: String!) {
  platformStats(from: $f, to: $t) { day tenants domains mailboxes storageBytes messages queueSize openAbuseEvents blockedMailboxes receivedMessages sentMessages takenAt }
}`;
const TENANT = `query($id: ID!, $f: String!, $t: String!) {
  tenantStats(tenantId: $id, from: $f, to: $t) { day tenantId domains mailboxes aliases storageBytes queueSize openAbuseEvents receivedMessages sentMessages takenAt }
}`;

/** YYYY-MM-DD (UTC) `n` days before today. */
const dayAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Mail counted for a mailbox on a day, as the engine counts it at delivery or submission. */
async function countMail(api: TestApi, mailboxId: string, day: string, received: number, sent: number): Promise<void> {
  await api.db.dataSource.query(
    `INSERT INTO mail_stats_daily (day, mailbox_id, tenant_id, received_messages, received_bytes, sent_messages, sent_bytes)
     SELECT $2::date, id, tenant_id, $3, $3 * 1000, $4, $4 * 1000 FROM mailboxes WHERE id = $1
     ON CONFLICT (day, mailbox_id) DO UPDATE SET received_messages = mail_stats_daily.received_messages + $3, sent_messages = mail_stats_daily.sent_messages + $4`,
    [mailboxId, day, received, sent],
  );
}

/** Makes today's snapshot look older than the refresh interval. */
async function ageToday(api: TestApi): Promise<void> {
  await api.db.dataSource.query(`UPDATE platform_stats_daily SET taken_at = now() - interval '1 hour' WHERE day = (now() AT TIME ZONE 'UTC')::date`);
}

describe('statistics over time: daily snapshots and mail per day', () => {
  let api: TestApi;
  let platform: string;
  let tenantA: string;
  let tenantB: string;
  let mailboxA: string;
  let mailboxB: string;

  beforeAll(async () => {
    // An hour between snapshots: the timer takes one at start, then the queries below decide.
    api = await startApi({ settings: { statsIntervalMs: 3_600_000 } });
    platform = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const ds = api.db.dataSource;
    tenantA = await insertTenant(ds, 'Stats A');
    tenantB = await insertTenant(ds, 'Stats B');
    mailboxA = await insertMailbox(ds, await insertDomain(ds, tenantA, 'stats-a.example'), 'ann', 'ann-password-1');
    mailboxB = await insertMailbox(ds, await insertDomain(ds, tenantB, 'stats-b.example'), 'ben', 'ben-password-1');
    await insertTenantAdmin(ds, tenantA, 'admin@stats-a.example', 'admin-password-a');
    await insertQueued(ds, mailboxA, 'far@remote.example', 'waiting');
    await ds.query(`UPDATE mailboxes SET used_bytes = 5000, used_messages = 3 WHERE id = $1`, [mailboxA]);
    await ds.query(`INSERT INTO abuse_events (tenant_id, mailbox_id, kind, details) VALUES ($1, $2, 'send_burst', '{}')`, [tenantB, mailboxB]);
    await countMail(api, mailboxA, dayAgo(2), 4, 1);
    await countMail(api, mailboxB, dayAgo(2), 1, 0);
    await countMail(api, mailboxA, dayAgo(0), 2, 3);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('platformStats answers every day of the range: mail per day from the counters, today’s figures from a snapshot taken on demand', async () => {
    // The snapshot taken at start saw none of the data above: once it is stale, the query takes another.
    await pollUntil('the snapshot taken at start', async () => (await api.count('platform_stats_daily')) === 1);
    await ageToday(api);
    const days = ok(await api.gql(PLATFORM, { f: dayAgo(3), t: dayAgo(0) }, platform)).platformStats;
    expect(days.map((d: { day: string }) => d.day)).toEqual([dayAgo(3), dayAgo(2), dayAgo(1), dayAgo(0)]);
    // Before the platform ran there is no snapshot, but mail per day has real history.
    expect(days[0]).toMatchObject({ tenants: null, mailboxes: null, storageBytes: null, takenAt: null, receivedMessages: 0, sentMessages: 0 });
    expect(days[1]).toMatchObject({ tenants: null, receivedMessages: 5, sentMessages: 1 });
    expect(days[3]).toMatchObject({
      tenants: 2,
      domains: 2,
      mailboxes: 2,
      storageBytes: 5000,
      messages: 3,
      queueSize: 1,
      openAbuseEvents: 1,
      blockedMailboxes: 0,
      receivedMessages: 2,
      sentMessages: 3,
    });
    expect(Date.now() - new Date(days[3].takenAt).getTime()).toBeLessThan(60_000);
  });

  it('refreshes today’s row only when it is older than the interval; past days keep their last snapshot', async () => {
    const first = ok(await api.gql(PLATFORM, { f: dayAgo(0), t: dayAgo(0) }, platform)).platformStats[0];
    await insertMailbox(api.db.dataSource, (await api.db.dataSource.query(`SELECT id FROM domains WHERE name = 'stats-a.example'`))[0].id, 'amy', 'amy-password-1');
    // Fresh: the same snapshot (the new mailbox is not in it yet) ...
    const cached = ok(await api.gql(PLATFORM, { f: dayAgo(0), t: dayAgo(0) }, platform)).platformStats[0];
    expect(cached).toEqual(first);
    // ... until it is older than the interval.
    await ageToday(api);
    const renewed = ok(await api.gql(PLATFORM, { f: dayAgo(0), t: dayAgo(0) }, platform)).platformStats[0];
    expect(renewed.mailboxes).toBe(3);
    expect(new Date(renewed.takenAt).getTime()).toBeGreaterThan(new Date(first.takenAt).getTime());

    // A past day's snapshot is history: a range ending before today does not rewrite anything.
    await api.db.dataSource.query(
      `INSERT INTO platform_stats_daily (day, tenants, domains, mailboxes, storage_bytes, messages, queue_size, open_abuse_events, blocked_mailboxes, received_messages, sent_messages, taken_at)
       VALUES ($1, 7, 7, 70, 123456, 9, 4, 2, 1, 0, 0, $1::date + interval '23 hours 58 minutes')`,
      [dayAgo(1)],
    );
    const past = ok(await api.gql(PLATFORM, { f: dayAgo(1), t: dayAgo(1) }, platform)).platformStats[0];
    expect(past).toMatchObject({ day: dayAgo(1), tenants: 7, mailboxes: 70, storageBytes: 123456, queueSize: 4, openAbuseEvents: 2, blockedMailboxes: 1 });
  });

  it('several readers of a stale day write one snapshot between them (advisory lock)', async () => {
    await ageToday(api);
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.gql(PLATFORM, { f: dayAgo(0), t: dayAgo(0) }, platform)));
    const takenAt = new Set(answers.map((a) => ok(a).platformStats[0].takenAt));
    expect(takenAt.size).toBe(1);
  });

  it('keeps a day’s mail counts after the mailbox (and its counters) are deleted', async () => {
    const doomed = await insertMailbox(api.db.dataSource, (await api.db.dataSource.query(`SELECT id FROM domains WHERE name = 'stats-b.example'`))[0].id, 'gone', 'gone-password-1');
    await countMail(api, doomed, dayAgo(0), 10, 0);
    await ageToday(api);
    expect(ok(await api.gql(PLATFORM, { f: dayAgo(0), t: dayAgo(0) }, platform)).platformStats[0].receivedMessages).toBe(12);
    ok(await api.gql('mutation($id: ID!) { deleteMailbox(input: { id: $id, confirmAddress: "gone@stats-b.example" }) { mailboxId } }', { id: doomed }, platform));
    expect(await api.db.dataSource.query(`SELECT 1 FROM mail_stats_daily WHERE mailbox_id = $1`, [doomed])).toEqual([]);
    await ageToday(api);
    const today = ok(await api.gql(PLATFORM, { f: dayAgo(0), t: dayAgo(0) }, platform)).platformStats[0];
    expect(today.receivedMessages).toBe(12);
    expect(today.mailboxes).toBe(3);
  });

  it('tenantStats: a tenant admin sees its own tenant per day; another tenant is NOT_FOUND', async () => {
    const admin = await api.login('admin@stats-a.example', 'admin-password-a');
    const days = ok(await api.gql(TENANT, { id: tenantA, f: dayAgo(2), t: dayAgo(0) }, admin)).tenantStats;
    expect(days.map((d: { day: string }) => d.day)).toEqual([dayAgo(2), dayAgo(1), dayAgo(0)]);
    expect(days[0]).toMatchObject({ tenantId: tenantA, receivedMessages: 4, sentMessages: 1, mailboxes: null });
    expect(days[2]).toMatchObject({ tenantId: tenantA, domains: 1, mailboxes: 2, aliases: 0, storageBytes: 5000, queueSize: 1, openAbuseEvents: 0, receivedMessages: 2, sentMessages: 3 });
    expect(errorCode(await api.gql(TENANT, { id: tenantB, f: dayAgo(2), t: dayAgo(0) }, admin))).toBe('NOT_FOUND');
    // The provider reads any tenant's, and B's abuse event is B's alone.
    const b = ok(await api.gql(TENANT, { id: tenantB, f: dayAgo(0), t: dayAgo(0) }, platform)).tenantStats[0];
    expect(b).toMatchObject({ tenantId: tenantB, openAbuseEvents: 1, mailboxes: 1 });
    const owner = await api.login('ann@stats-a.example', 'ann-password-1');
    expect(errorCode(await api.gql(TENANT, { id: tenantA, f: dayAgo(0), t: dayAgo(0) }, owner))).toBe('FORBIDDEN');
    expect(errorCode(await api.gql(PLATFORM, { f: dayAgo(0), t: dayAgo(0) }, admin))).toBe('FORBIDDEN');
  });

  it('validates the range: YYYY-MM-DD, from not after to, at most 366 days', async () => {
    for (const [f, t, field] of [
      ['2026-02-30', '2026-03-01', 'from'],
      ['yesterday', '2026-03-01', 'from'],
      ['2026-03-02', '2026-03-01', 'from'],
      ['2025-01-01', '2026-01-02', 'to'],
    ] as const) {
      const res = await api.gql(PLATFORM, { f, t }, platform);
      expect(errorCode(res), `${f}..${t}`).toBe('VALIDATION');
      expect(res.errors![0]!.extensions!.field).toBe(field);
    }
    expect(ok(await api.gql(PLATFORM, { f: '2025-01-01', t: '2026-01-01' }, platform)).platformStats).toHaveLength(366);
  });
});

describe('statistics: the snapshot timer', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ settings: { statsIntervalMs: 300 } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('writes today’s row at start and rewrites it every interval, without anyone asking', async () => {
    const first = await pollUntil('a first snapshot', async () => (await api.db.dataSource.query(`SELECT taken_at FROM platform_stats_daily`))[0]?.taken_at as Date | undefined);
    await insertTenant(api.db.dataSource, 'Later');
    const later = await pollUntil('a later snapshot with the new tenant', async () => {
      const [row] = await api.db.dataSource.query(`SELECT tenants, taken_at FROM platform_stats_daily`);
      return row.taken_at > first && row.tenants === 1 ? row : undefined;
    });
    expect(later.tenants).toBe(1);
    expect(await api.count('platform_stats_daily')).toBe(1);
    expect(await api.count('tenant_stats_daily')).toBe(1);
  });
});
