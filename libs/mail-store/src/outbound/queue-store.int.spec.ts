import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgMailStore } from '../pg/pg-mail-store.js';
import { spoolBuffer } from '../spool.js';
import { PgOutboundQueue } from './queue-store.js';

const LEASE = 60_000;

describe('PgOutboundQueue', () => {
  let db: TestDatabase;
  let store: PgMailStore;
  let sut: PgOutboundQueue;
  let alice: SeededMailbox;
  let bob: SeededMailbox;
  let n = 0;

  async function submit(from: SeededMailbox, recipients: string[], opts: { expiresAt?: Date } = {}): Promise<string[]> {
    const msg = await spoolBuffer(Buffer.from(`Subject: test ${++n}\r\n\r\nbody ${n}\r\n`));
    const r = await store.accept(msg, { targets: [], outbound: { tenantId: from.tenantId, mailboxId: from.mailboxId, mailFrom: from.address, recipients: recipients.map((address) => ({ address })), ...opts } });
    await msg.dispose();
    return r.queued;
  }

  async function row(id: string): Promise<Record<string, unknown>> {
    const [r] = await db.dataSource.query('SELECT * FROM outbound_queue WHERE id = $1', [id]);
    return r;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PgMailStore({ url: db.url });
    sut = new PgOutboundQueue(store.pool);
    alice = await seedMailbox(db.dataSource, { address: 'alice@queue.test', password: 'alice-password' });
    bob = await seedMailbox(db.dataSource, { address: 'bob@queue.test', password: 'bob-password' });
  });

  beforeEach(async () => {
    await db.dataSource.query(`UPDATE outbound_queue SET state = 'cancelled', blob_id = NULL WHERE state NOT IN ('sent', 'bounced', 'cancelled')`);
    await db.dataSource.query('UPDATE mailboxes SET outbound_blocked_at = NULL');
  });

  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('claims the recipients of one message at one domain together, leased, and counts an attempt only at the outcome', async () => {
    const ids = await submit(alice, ['a@one.example', 'b@one.example', 'c@two.example']);
    const claimed = await sut.claim({ workerId: 'w1', leaseMs: LEASE, maxRecipients: 10 });
    expect(claimed.map((c) => c.rcptTo)).toEqual(['a@one.example', 'b@one.example']);
    expect(claimed[0]).toMatchObject({ mailFrom: 'alice@queue.test', rcptDomain: 'one.example', attempts: 0, tenantId: alice.tenantId, mailboxId: alice.mailboxId });
    expect(claimed[0]!.size).toBeGreaterThan(0);
    const r = await row(ids[0]!);
    expect(r).toMatchObject({ state: 'sending', leased_by: 'w1', attempts: 0 });
    expect((r.lease_until as Date).getTime()).toBeGreaterThan(Date.now() + LEASE - 5_000);
    const second = await sut.claim({ workerId: 'w2', leaseMs: LEASE, maxRecipients: 10 });
    expect(second.map((c) => c.rcptTo)).toEqual(['c@two.example']);
    expect(await sut.claim({ workerId: 'w3', leaseMs: LEASE, maxRecipients: 10 })).toEqual([]);
  });

  it('never hands one row to two concurrent claimers (FOR UPDATE SKIP LOCKED)', async () => {
    for (let i = 0; i < 20; i++) await submit(alice, [`r${i}@many-${i}.example`]);
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (async () => {
      const got: string[] = [];
      for (;;) {
        const batch = await sut.claim({ workerId: `w${i}`, leaseMs: LEASE, maxRecipients: 5 });
        if (batch.length === 0) return got;
        got.push(...batch.map((b) => b.id));
      }
    })()));
    const all = claims.flat();
    expect(all).toHaveLength(20);
    expect(new Set(all).size).toBe(20);
  });

  it('gives all recipients of one message at one domain to one claimer, however many claim at once', async () => {
    for (let round = 0; round < 5; round++) {
      const ids = await submit(alice, ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}${round}@group.example`));
      const batches = await Promise.all(Array.from({ length: 8 }, (_, i) => sut.claim({ workerId: `g${i}`, leaseMs: LEASE, maxRecipients: 50 })));
      const nonEmpty = batches.filter((b) => b.length > 0);
      expect(nonEmpty).toHaveLength(1);
      expect(nonEmpty[0]!.map((b) => b.id).sort()).toEqual([...ids].sort());
    }
  });

  it('skips the rows of an outbound-blocked mailbox until it is released', async () => {
    await db.dataSource.query('UPDATE mailboxes SET outbound_blocked_at = now() WHERE id = $1', [alice.mailboxId]);
    await submit(alice, ['held@x.example']);
    const [bobs] = await submit(bob, ['free@x.example']);
    const claimed = await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 });
    expect(claimed.map((c) => c.id)).toEqual([bobs]);
    expect(await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 })).toEqual([]);
    await db.dataSource.query('UPDATE mailboxes SET outbound_blocked_at = NULL WHERE id = $1', [alice.mailboxId]);
    expect((await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 })).map((c) => c.rcptTo)).toEqual(['held@x.example']);
  });

  it('returns rows of an expired lease, counting the interrupted attempt; a live lease is renewed and kept', async () => {
    const [dead] = await submit(alice, ['dead@lease.example']);
    const [live] = await submit(alice, ['live@lease.example']);
    await sut.claim({ workerId: 'crashed', leaseMs: 1, maxRecipients: 10 });
    await sut.claim({ workerId: 'alive', leaseMs: 1, maxRecipients: 10 });
    expect(await sut.renew([live!], 'alive', LEASE)).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await sut.recoverExpiredLeases()).toBe(1);
    expect(await row(dead!)).toMatchObject({ state: 'deferred', attempts: 1, leased_by: null, last_error: 'delivery interrupted: crashed stopped before finishing' });
    expect(await row(live!)).toMatchObject({ state: 'sending', leased_by: 'alive' });
    const again = await sut.claim({ workerId: 'other', leaseMs: LEASE, maxRecipients: 10 });
    expect(again.map((c) => c.id)).toEqual([dead]);
    expect(again[0]!.attempts).toBe(1);
  });

  it('defers with the error and next attempt, only for the lease holder', async () => {
    const [id] = await submit(alice, ['later@defer.example']);
    await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 });
    const next = new Date(Date.now() + 300_000);
    expect(await sut.defer([{ id: id!, error: '451 4.3.0 try later', nextAttemptAt: next }], 'intruder')).toEqual([]);
    expect(await sut.defer([{ id: id!, error: '451 4.3.0 try later', nextAttemptAt: next }], 'w')).toEqual([id]);
    const r = await row(id!);
    expect(r).toMatchObject({ state: 'deferred', attempts: 1, last_error: '451 4.3.0 try later', leased_by: null, lease_until: null });
    expect((r.next_attempt_at as Date).getTime()).toBe(next.getTime());
    expect(await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 })).toEqual([]);
  });

  it('gives back the blob reference exactly once per row reaching a final state, deleting the blob at zero', async () => {
    const ids = await submit(alice, ['x@final.example', 'y@final.example']);
    const [q] = await db.dataSource.query('SELECT blob_id FROM outbound_queue WHERE id = $1', [ids[0]]);
    const refcount = async () => (await db.dataSource.query('SELECT refcount FROM blobs WHERE id = $1', [q.blob_id]))[0]?.refcount;
    expect(await refcount()).toBe(2);
    await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 });
    expect(await sut.markSent([ids[0]!])).toEqual([ids[0]]);
    expect(await sut.markSent([ids[0]!])).toEqual([]);
    expect(await refcount()).toBe(1);
    expect(await row(ids[0]!)).toMatchObject({ state: 'sent', blob_id: null, attempts: 1, last_error: null });
    expect(await sut.markBounced([{ id: ids[1]!, error: '550 5.1.1 no such user' }], 'w')).toEqual([ids[1]]);
    expect(await refcount()).toBeUndefined();
    const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM blob_chunks WHERE blob_id = $1', [q.blob_id]);
    expect(n).toBe(0);
    expect(await row(ids[1]!)).toMatchObject({ state: 'bounced', last_error: '550 5.1.1 no such user' });
  });

  it('emits queue.changed with the state and mailbox on every change', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const events: { state: string; queueId: string; mailboxId: string }[] = [];
    listener.on('notification', (m) => events.push(JSON.parse(m.payload!)));
    await listener.query('LISTEN darwin_events');
    try {
      const [id] = await submit(alice, ['ev@events.example']);
      await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 });
      await sut.defer([{ id: id!, error: 'x', nextAttemptAt: new Date() }], 'w');
      await sut.claim({ workerId: 'w', leaseMs: LEASE, maxRecipients: 10 });
      await sut.markSent([id!]);
      await new Promise((r) => setTimeout(r, 100));
      expect(events.filter((e) => e.queueId === id).map((e) => e.state)).toEqual(['queued', 'sending', 'deferred', 'sending', 'sent']);
      expect(events.find((e) => e.state === 'sent')!.mailboxId).toBe(alice.mailboxId);
    } finally {
      await listener.end();
    }
  });

  it('limits slots per destination across callers, and frees the slots of a dead holder when their lease ends', async () => {
    const taken = await Promise.all(Array.from({ length: 6 }, (_, i) => sut.acquireSlot('dest.example', `h${i}`, 3, LEASE)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(await sut.slotsInUse('dest.example')).toBe(3);
    await sut.releaseSlot(taken.find(Boolean)!);
    expect(await sut.acquireSlot('dest.example', 'h7', 3, LEASE)).toBeDefined();
    expect(await sut.acquireSlot('dest.example', 'h8', 3, LEASE)).toBeUndefined();
    expect(await sut.acquireSlot('dest.example', 'short', 4, 1)).toBeDefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(await sut.acquireSlot('dest.example', 'after', 4, LEASE)).toBeDefined();
  });

  it('finds the DKIM key of a domain only for its own tenant', async () => {
    await db.dataSource.query(`UPDATE domains SET dkim_selector = 's1', dkim_private_key = 'PEM' WHERE name = 'queue.test'`);
    expect(await sut.signingKey('Queue.Test', alice.tenantId)).toEqual({ domain: 'queue.test', selector: 's1', privateKey: 'PEM' });
    expect(await sut.signingKey('queue.test', '00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(await sut.signingKey('other.test', alice.tenantId)).toBeUndefined();
  });
});
