import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from './helpers/graphql-client.js';
import { eventually } from './helpers/listen-events.js';
import { subscribe } from './helpers/subscribe.js';
import { insertDomain, insertMailbox, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

const EVENTS = `subscription($types: [PlatformEventType!]) { events(types: $types) {
  __typename
  ... on MailboxBlockedEvent { tenantId mailboxId abuseEventId }
  ... on MailboxReleasedEvent { tenantId mailboxId }
  ... on QueueChangedEvent { tenantId queueId state senderMailboxId }
  ... on QuotaCrossedEvent { tenantId mailboxId percent }
  ... on DomainVerifiedEvent { tenantId domainId domain }
} }`;

describe('subscriptions over graphql-ws', () => {
  let api: TestApi;
  let notifier: pg.Client;
  const a = { tenant: '', mailbox: '', mailbox2: '', admin: '', owner: '' };
  const b = { tenant: '', mailbox: '' };
  let platform: string;

  /** What the mail engine does: NOTIFY darwin_events from its own connection. */
  const engineEmits = (payload: Record<string, unknown>) => notifier.query('SELECT pg_notify($1, $2)', ['darwin_events', JSON.stringify(payload)]);

  beforeAll(async () => {
    api = await startApi();
    notifier = new pg.Client({ connectionString: api.db.url });
    await notifier.connect();
    a.tenant = await insertTenant(api.db.dataSource, 'Sub A');
    const da = await insertDomain(api.db.dataSource, a.tenant, 'sub-a.test');
    a.mailbox = await insertMailbox(api.db.dataSource, da, 'anna', 'anna-password');
    a.mailbox2 = await insertMailbox(api.db.dataSource, da, 'arne', 'arne-password');
    await insertTenantAdmin(api.db.dataSource, a.tenant, 'admin@sub-a.test', 'sub-a-admin-pw');
    b.tenant = await insertTenant(api.db.dataSource, 'Sub B');
    const dbb = await insertDomain(api.db.dataSource, b.tenant, 'sub-b.test');
    b.mailbox = await insertMailbox(api.db.dataSource, dbb, 'bert', 'bert-password');
    platform = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    a.admin = await api.login('admin@sub-a.test', 'sub-a-admin-pw');
    a.owner = await api.login('anna@sub-a.test', 'anna-password');
  });
  afterAll(async () => {
    await notifier?.end();
    await api?.close();
  });

  it('delivers engine and API events, each subscriber seeing only what it may see', async () => {
    const subs = {
      platform: await subscribe(api.url, EVENTS, platform),
      admin: await subscribe(api.url, EVENTS, a.admin),
      owner: await subscribe(api.url, EVENTS, a.owner),
      quotaOnly: await subscribe(api.url, EVENTS, a.admin, { types: ['QUOTA_CROSSED'] }),
    };
    try {
      await engineEmits({ type: 'mailbox.blocked', tenantId: a.tenant, mailboxId: a.mailbox, eventId: 41 });
      await engineEmits({ type: 'quota.crossed', tenantId: a.tenant, mailboxId: a.mailbox2, percent: 90 });
      await engineEmits({ type: 'queue.changed', tenantId: b.tenant, queueId: '7', state: 'deferred' });
      await engineEmits({ type: 'quota.crossed', tenantId: b.tenant, mailboxId: b.mailbox, percent: 100 });
      await engineEmits({ type: 'nonsense', tenantId: a.tenant });
      // And one the API itself emits, inside a mutation's transaction.
      await api.db.dataSource.query(`UPDATE mailboxes SET outbound_blocked_at = now() WHERE id = $1`, [a.mailbox]);
      ok(await api.gql('mutation($id: ID!) { releaseMailbox(id: $id) { id } }', { id: a.mailbox }, platform));

      const payloads = (s: { results: Record<string, any>[] }) => s.results.map((r) => r.data.events);
      await eventually(() => expect(payloads(subs.platform)).toHaveLength(5));
      expect(payloads(subs.platform)).toEqual([
        { __typename: 'MailboxBlockedEvent', tenantId: a.tenant, mailboxId: a.mailbox, abuseEventId: '41' },
        { __typename: 'QuotaCrossedEvent', tenantId: a.tenant, mailboxId: a.mailbox2, percent: 90 },
        { __typename: 'QueueChangedEvent', tenantId: b.tenant, queueId: '7', state: 'deferred', senderMailboxId: null },
        { __typename: 'QuotaCrossedEvent', tenantId: b.tenant, mailboxId: b.mailbox, percent: 100 },
        { __typename: 'MailboxReleasedEvent', tenantId: a.tenant, mailboxId: a.mailbox },
      ]);
      await eventually(() => expect(payloads(subs.admin)).toHaveLength(3));
      expect(payloads(subs.admin).map((e) => e.__typename)).toEqual(['MailboxBlockedEvent', 'QuotaCrossedEvent', 'MailboxReleasedEvent']);
      expect(payloads(subs.admin).every((e) => e.tenantId === a.tenant)).toBe(true);
      await eventually(() => expect(payloads(subs.owner)).toHaveLength(2));
      expect(payloads(subs.owner).map((e) => e.__typename)).toEqual(['MailboxBlockedEvent', 'MailboxReleasedEvent']);
      expect(payloads(subs.quotaOnly)).toEqual([{ __typename: 'QuotaCrossedEvent', tenantId: a.tenant, mailboxId: a.mailbox2, percent: 90 }]);
    } finally {
      await Promise.all(Object.values(subs).map((s) => s.close()));
    }
  });

  it('an event from a rolled-back transaction never arrives', async () => {
    const sub = await subscribe(api.url, EVENTS, platform);
    try {
      await api.db.dataSource
        .transaction(async (m) => {
          await m.query('SELECT pg_notify($1, $2)', ['darwin_events', JSON.stringify({ type: 'mailbox.released', tenantId: a.tenant, mailboxId: a.mailbox })]);
          throw new Error('roll back');
        })
        .catch(() => {});
      await engineEmits({ type: 'domain.verified', tenantId: a.tenant, domainId: a.mailbox, domain: 'sub-a.test' });
      await eventually(() => expect(sub.results).toHaveLength(1));
      expect(sub.results[0]!.data.events.__typename).toBe('DomainVerifiedEvent');
    } finally {
      await sub.close();
    }
  });

  it('refuses a connection without a valid credential', async () => {
    for (const credential of [undefined, 'not-a-token', 'dmk_aaaaaaaa_' + 'A'.repeat(43)]) {
      const sub = await subscribe(api.url, EVENTS, credential);
      await sub.done;
      expect(sub.errors).toHaveLength(1);
      expect(sub.results).toEqual([]);
      expect(String((sub.errors[0] as { code?: number }).code)).toBe('4403');
    }
  });

  it('cuts a live subscriber off (4403) once its account is suspended or its key revoked', async () => {
    const fast = await startApi({ settings: { subscriptionRecheckMs: 100 } });
    try {
      const t = await insertTenant(fast.db.dataSource, 'Cut Co');
      const d = await insertDomain(fast.db.dataSource, t, 'cut.test');
      const mb = await insertMailbox(fast.db.dataSource, d, 'cutme', 'cut-password-1');
      const owner = await fast.login('cutme@cut.test', 'cut-password-1');
      const admin = await fast.login(ADMIN_EMAIL, ADMIN_PASSWORD);
      const key = ok(await fast.gql('mutation { createApiKey(input: { name: "live" }) { id key } }', {}, admin)).createApiKey;

      const ownerSub = await subscribe(fast.url, EVENTS, owner);
      const keySub = await subscribe(fast.url, EVENTS, key.key);
      expect(ownerSub.errors).toEqual([]);
      expect(keySub.errors).toEqual([]);
      await fast.db.dataSource.query('UPDATE mailboxes SET login_suspended = true WHERE id = $1', [mb]);
      ok(await fast.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id }, admin));
      await Promise.all([ownerSub.done, keySub.done]);
      expect(String((ownerSub.errors[0] as { code?: number }).code)).toBe('4403');
      expect(String((keySub.errors[0] as { code?: number }).code)).toBe('4403');
      // And it cannot come back.
      const again = await subscribe(fast.url, EVENTS, owner);
      await again.done;
      expect(String((again.errors[0] as { code?: number }).code)).toBe('4403');
    } finally {
      await fast.close();
    }
  });

  it('one LISTEN connection per API process, however many subscribers', async () => {
    const subs = await Promise.all([1, 2, 3].map(() => subscribe(api.url, EVENTS, platform)));
    try {
      const [row] = await api.db.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'darwin-api-events'`);
      expect(row.n).toBe(1);
    } finally {
      await Promise.all(subs.map((s) => s.close()));
    }
  });
});
