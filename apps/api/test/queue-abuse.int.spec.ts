import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, ok } from './helpers/graphql-client.js';
import { eventually, listenEvents } from './helpers/listen-events.js';
import { insertDomain, insertMailbox, insertQueued, insertTenant, insertTenantAdmin } from './helpers/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startApi, type TestApi } from './helpers/start-api.js';

describe('outbound queue, abuse events and releaseMailbox', () => {
  let api: TestApi;
  let admin: string;
  let ta: string;
  let tenantId: string;
  let mailboxId: string;
  beforeAll(async () => {
    api = await startApi();
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    tenantId = await insertTenant(api.db.dataSource, 'Queue Co');
    const d = await insertDomain(api.db.dataSource, tenantId, 'queue.test');
    mailboxId = await insertMailbox(api.db.dataSource, d, 'sender', 'sender-password');
    await insertTenantAdmin(api.db.dataSource, tenantId, 'admin@queue.test', 'queue-admin-pw');
    ta = await api.login('admin@queue.test', 'queue-admin-pw');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists and filters the queue; retry now moves next_attempt_at to now and leaves the state', async () => {
    const a = await insertQueued(api.db.dataSource, mailboxId, 'one@gmail.test', 'message A');
    const b = await insertQueued(api.db.dataSource, mailboxId, 'two@yahoo.test', 'message B', 'deferred');
    await insertQueued(api.db.dataSource, mailboxId, 'three@yahoo.test', 'message C', 'sending');
    const all = ok(await api.gql('{ outboundQueue { nodes { id rcptTo state } totalCount } }', {}, ta)).outboundQueue;
    expect(all.totalCount).toBe(3);
    expect(ok(await api.gql('{ outboundQueue(rcptDomain: "YAHOO.test", states: [deferred]) { nodes { id } } }', {}, ta)).outboundQueue.nodes).toEqual([{ id: b.id }]);
    expect(ok(await api.gql('{ outboundQueue(addressContains: "one@") { nodes { id } } }', {}, ta)).outboundQueue.nodes).toEqual([{ id: a.id }]);

    const listener = await listenEvents(api.db.url);
    try {
      const r = ok(await api.gql('mutation($id: ID!) { retryQueuedMessage(id: $id) { state nextAttemptAt } }', { id: b.id }, ta)).retryQueuedMessage;
      expect(r.state).toBe('deferred');
      expect(Math.abs(new Date(r.nextAttemptAt).getTime() - Date.now())).toBeLessThan(5000);
      await eventually(() => expect(listener.events).toContainEqual({ type: 'queue.changed', tenantId, queueId: b.id, state: 'deferred', mailboxId }));
    } finally {
      await listener.close();
    }
    const sending = all.nodes.find((n: { state: string }) => n.state === 'sending');
    expect(errorCode(await api.gql('mutation($id: ID!) { retryQueuedMessage(id: $id) { id } }', { id: sending.id }, ta))).toBe('CONFLICT');
    expect(errorCode(await api.gql('mutation($id: ID!) { deleteQueuedMessage(id: $id) { id } }', { id: sending.id }, ta))).toBe('CONFLICT');
  });

  it('delete cancels the message and gives its blob back (deleted when nothing else holds it)', async () => {
    const shared1 = await insertQueued(api.db.dataSource, mailboxId, 'x@one.test', 'same body');
    const shared2 = await insertQueued(api.db.dataSource, mailboxId, 'y@two.test', 'same body');
    expect(shared1.blobId).toBe(shared2.blobId);
    const del = ok(await api.gql('mutation($id: ID!) { deleteQueuedMessage(id: $id) { state } }', { id: shared1.id }, ta)).deleteQueuedMessage;
    expect(del.state).toBe('cancelled');
    expect((await api.db.dataSource.query('SELECT refcount FROM blobs WHERE id = $1', [shared1.blobId]))[0].refcount).toBe(1);
    ok(await api.gql('mutation($id: ID!) { deleteQueuedMessage(id: $id) { state } }', { id: shared2.id }, ta));
    expect(await api.db.dataSource.query('SELECT 1 FROM blobs WHERE id = $1', [shared1.blobId])).toEqual([]);
    expect(await api.db.dataSource.query('SELECT 1 FROM blob_chunks WHERE blob_id = $1', [shared1.blobId])).toEqual([]);
    const rows = await api.db.dataSource.query('SELECT state, blob_id FROM outbound_queue WHERE id = ANY($1::bigint[])', [[shared1.id, shared2.id]]);
    expect(rows).toEqual([
      { state: 'cancelled', blob_id: null },
      { state: 'cancelled', blob_id: null },
    ]);
    expect(errorCode(await api.gql('mutation($id: ID!) { deleteQueuedMessage(id: $id) { id } }', { id: shared1.id }, ta))).toBe('CONFLICT');
    const audit = await api.db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'queue.delete'`);
    expect(audit[0].n).toBe(2);
  });

  it('a burst block is lifted by a platform admin only: fields cleared, open events resolved, audit, mailbox.released', async () => {
    await api.db.dataSource.query(`UPDATE mailboxes SET outbound_blocked_at = now(), outbound_blocked_reason = '500 messages in 1 minute' WHERE id = $1`, [mailboxId]);
    const [ev] = await api.db.dataSource.query(
      `INSERT INTO abuse_events (tenant_id, mailbox_id, kind, details) VALUES ($1, $2, 'send_burst', '{"perMinute": 500, "limit": 30}') RETURNING id`,
      [tenantId, mailboxId],
    );
    const seen = ok(await api.gql('{ abuseEvents(open: true) { nodes { id kind details mailboxId resolvedAt } } }', {}, ta)).abuseEvents.nodes;
    expect(seen).toEqual([{ id: String(ev.id), kind: 'send_burst', details: { perMinute: 500, limit: 30 }, mailboxId, resolvedAt: null }]);
    const blocked = ok(await api.gql('{ mailboxes(outboundBlocked: true) { nodes { id outboundBlockedReason } } }', {}, ta)).mailboxes.nodes;
    expect(blocked).toEqual([{ id: mailboxId, outboundBlockedReason: '500 messages in 1 minute' }]);

    expect(errorCode(await api.gql('mutation($id: ID!) { releaseMailbox(id: $id) { id } }', { id: mailboxId }, ta))).toBe('FORBIDDEN');
    const listener = await listenEvents(api.db.url);
    try {
      const released = ok(await api.gql('mutation($id: ID!) { releaseMailbox(id: $id) { outboundBlockedAt outboundBlockedReason } }', { id: mailboxId }, admin)).releaseMailbox;
      expect(released).toEqual({ outboundBlockedAt: null, outboundBlockedReason: null });
      await eventually(() => expect(listener.events).toContainEqual({ type: 'mailbox.released', tenantId, mailboxId }));
    } finally {
      await listener.close();
    }
    const after = ok(await api.gql('{ abuseEvents { nodes { resolvedAt resolvedBy } } }', {}, admin)).abuseEvents.nodes;
    expect(after[0].resolvedBy).toBe(ADMIN_EMAIL);
    expect(after[0].resolvedAt).toBeTruthy();
    const [audit] = await api.db.dataSource.query(`SELECT before, after FROM audit_log WHERE action = 'mailbox.release'`);
    expect(audit.before.outboundBlockedAt).toBeTruthy();
    expect(audit.after).toMatchObject({ outboundBlockedAt: null, resolvedAbuseEvents: [String(ev.id)] });
    expect(errorCode(await api.gql('mutation($id: ID!) { releaseMailbox(id: $id) { id } }', { id: mailboxId }, admin))).toBe('CONFLICT');
  });

  it('a mailbox owner sees its own queue and abuse events, and may not retry or delete', async () => {
    const owner = await api.login('sender@queue.test', 'sender-password');
    const q = ok(await api.gql('{ outboundQueue { totalCount } abuseEvents { totalCount } }', {}, owner));
    expect(q.outboundQueue.totalCount).toBeGreaterThan(0);
    expect(q.abuseEvents.totalCount).toBe(1);
    const [row] = await api.db.dataSource.query(`SELECT id FROM outbound_queue WHERE state = 'queued' LIMIT 1`);
    expect(errorCode(await api.gql('mutation($id: ID!) { retryQueuedMessage(id: $id) { id } }', { id: String(row.id) }, owner))).toBe('FORBIDDEN');
  });
});

describe('query depth and cost limits', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startApi({ settings: { maxQueryDepth: 4, maxQueryCost: 500 } });
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses too deep and too expensive queries before running them, with the numbers', async () => {
    const deep = await api.gql('{ tenants { nodes { plan { id } } } }', {}, admin);
    expect(deep.errors).toBeUndefined();
    const deeper = await api.gql('{ tenants { nodes { usage { domains { used } } } } }', {}, admin);
    expect(deeper.status).toBe(400);
    expect(errorCode(deeper)).toBe('VALIDATION');
    expect(deeper.errors![0]!.extensions).toMatchObject({ limit: 'maxQueryDepth', max: 4, actual: 5 });

    const costly = await api.gql('{ tenants(first: 200) { nodes { id name status createdAt } } }', {}, admin);
    expect(errorCode(costly)).toBe('VALIDATION');
    expect(costly.errors![0]!.extensions).toMatchObject({ limit: 'maxQueryCost', max: 500, actual: 1001 });
    // The same query with a page that fits passes; a variable page size is counted too.
    expect((await api.gql('{ tenants(first: 99) { nodes { id name status createdAt } } }', {}, admin)).errors).toBeUndefined();
    expect(errorCode(await api.gql('query($n: Int) { tenants(first: $n) { nodes { id name status createdAt } } }', { n: 200 }, admin))).toBe('VALIDATION');
    // Introspection is not limited by depth.
    expect((await api.gql('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }', {}, admin)).errors).toBeUndefined();
  });
});
