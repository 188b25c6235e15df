import { createTestDatabase, seedMailbox, type SeededMailbox, type TestDatabase } from '@darwin/db';
import { createLogger } from '@darwin/logger';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendGuard } from './send-guard.js';

describe('SendGuard (rates shared through Postgres)', () => {
  let db: TestDatabase;
  let pools: pg.Pool[];
  let a: SeededMailbox;
  let b: SeededMailbox;
  const logger = createLogger({ app: 'test' }, { level: 'error' });
  const guards: SendGuard[] = [];
  const guard = (i: number, opts: { tenantFactor?: number; burstFactor?: number } = {}) => {
    const g = new SendGuard(pools[i]!, { tenantFactor: opts.tenantFactor ?? 10, burstFactor: opts.burstFactor ?? 10, logger });
    guards.push(g);
    return g;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // Two pools stand for two engine processes.
    pools = [new pg.Pool({ connectionString: db.url, max: 6 }), new pg.Pool({ connectionString: db.url, max: 6 })];
    a = await seedMailbox(db.dataSource, { address: 'a@rates.test', password: 'password-a' });
    b = await seedMailbox(db.dataSource, { address: 'b@rates.test', password: 'password-b' });
    await db.dataSource.query(`UPDATE plans SET send_per_minute = 10, send_per_hour = 15, send_per_day = 100`);
  });
  afterAll(async () => {
    // Background pruning still running when the pools end would meet the dropped database.
    await Promise.all(guards.map((g) => g.settled()));
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  const reset = () => db.dataSource.query('DELETE FROM send_rate_buckets');

  it('counts atomically across processes: 40 concurrent submissions against a limit of 10 accept exactly 10', async () => {
    await reset();
    const sut = [guard(0), guard(1)];
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => sut[i % 2]!.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 1 })));
    expect(decisions.filter((d) => d.verdict === 'accept')).toHaveLength(10);
    expect(decisions.filter((d) => d.verdict === 'rate_limited')).toHaveLength(30);
    expect(decisions.find((d) => d.verdict === 'rate_limited')).toEqual({ verdict: 'rate_limited', scope: 'mailbox', window: 'minute', limit: 10 });
  });

  it('slides: once the minute has passed the minute window frees up, the hour window still counts', async () => {
    await reset();
    const sut = guard(0);
    for (let i = 0; i < 10; i++) expect((await sut.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 1 })).verdict).toBe('accept');
    // Pretend a minute went by.
    await db.dataSource.query(`UPDATE send_rate_buckets SET bucket = bucket - interval '61 seconds' WHERE span = 'second'`);
    for (let i = 0; i < 5; i++) expect((await sut.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 1 })).verdict).toBe('accept');
    expect(await sut.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 1 })).toMatchObject({ verdict: 'rate_limited', window: 'hour', limit: 15 });
  });

  it('weighs a submission by its recipients and gives a reservation back', async () => {
    await reset();
    const sut = guard(1);
    const first = await sut.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 8 });
    expect(first.verdict).toBe('accept');
    expect((await sut.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 3 })).verdict).toBe('rate_limited');
    if (first.verdict === 'accept') await sut.release(first.reservation);
    expect((await sut.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 3 })).verdict).toBe('accept');
  });

  it('has tenant-wide windows: the plan rate times the tenant factor across all mailboxes', async () => {
    await reset();
    const sut = guard(0, { tenantFactor: 1 });
    for (let i = 0; i < 6; i++) expect((await sut.decide({ mailboxId: a.mailboxId, tenantId: a.tenantId, weight: 1 })).verdict).toBe('accept');
    for (let i = 0; i < 4; i++) expect((await sut.decide({ mailboxId: b.mailboxId, tenantId: b.tenantId, weight: 1 })).verdict).toBe('accept');
    expect(await sut.decide({ mailboxId: b.mailboxId, tenantId: b.tenantId, weight: 1 })).toEqual({ verdict: 'rate_limited', scope: 'tenant', window: 'minute', limit: 10 });
  });

  it('uses the mailbox override of the plan, and blocks once on a burst', async () => {
    await reset();
    await db.dataSource.query('UPDATE mailboxes SET send_per_minute = 2 WHERE id = $1', [b.mailboxId]);
    const sut = guard(0, { burstFactor: 3 });
    const verdicts = [];
    for (let i = 0; i < 9; i++) verdicts.push((await sut.decide({ mailboxId: b.mailboxId, tenantId: b.tenantId, weight: 1 })).verdict);
    expect(verdicts).toEqual(['accept', 'accept', 'rate_limited', 'rate_limited', 'rate_limited', 'rate_limited', 'blocked', 'blocked', 'blocked']);
    const rows = await db.dataSource.query(`SELECT kind FROM abuse_events WHERE mailbox_id = $1`, [b.mailboxId]);
    expect(rows).toEqual([{ kind: 'send_burst' }]);
  });
});
