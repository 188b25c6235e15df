import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMailbox } from './fixtures.js';
import { LoginThrottle } from './login-throttle.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

describe('LoginThrottle', () => {
  let db: TestDatabase;
  let sut: LoginThrottle;
  beforeAll(async () => {
    db = await createTestDatabase();
    sut = new LoginThrottle((sql, params) => db.dataSource.query(sql, params), { maxFailuresAccount: 3, maxFailuresIp: 5, windowMs: 60_000, lockoutMs: 60_000 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('locks an account after a run of failures, records one abuse event, and unlocks by time only', async () => {
    const mb = await seedMailbox(db.dataSource, { address: 'victim@throttle.test', password: 'victim-password' });
    expect((await sut.fail('victim@throttle.test', '192.0.2.1', { protocol: 'imap' })).locked).toBe(false);
    expect((await sut.fail('victim@throttle.test', '192.0.2.2', { protocol: 'imap' })).locked).toBe(false);
    const third = await sut.fail('victim@throttle.test', '192.0.2.3', { protocol: 'pop3' });
    expect(third).toMatchObject({ locked: true, scope: 'account' });
    expect((await sut.check('victim@throttle.test', '198.51.100.9')).locked).toBe(true);
    // A correct password does not lift an active lock.
    await sut.succeed('victim@throttle.test');
    expect((await sut.check('victim@throttle.test', undefined)).locked).toBe(true);
    await sut.fail('victim@throttle.test', '192.0.2.4', { protocol: 'imap' });
    const events = await db.dataSource.query(`SELECT kind, mailbox_id, tenant_id, details FROM abuse_events WHERE kind = 'auth_failures' AND details->>'scope' = 'account'`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ mailbox_id: mb.mailboxId, tenant_id: mb.tenantId, details: { key: 'victim@throttle.test', failures: 3, protocol: 'pop3' } });
    // Expire the lock: the account is usable again and its counter restarts.
    await db.dataSource.query(`UPDATE auth_failures SET locked_until = now() - interval '1 second', window_start = now() - interval '2 minutes' WHERE key = 'victim@throttle.test'`);
    expect((await sut.check('victim@throttle.test', undefined)).locked).toBe(false);
    expect((await sut.fail('victim@throttle.test', undefined, { protocol: 'imap' })).locked).toBe(false);
  });

  it('locks an IP that guesses across many accounts; a success elsewhere does not clear it', async () => {
    for (let i = 0; i < 4; i++) expect((await sut.fail(`user${i}@throttle.test`, '203.0.113.7', { protocol: 'smtp' })).locked).toBe(false);
    await sut.succeed('user0@throttle.test');
    expect(await sut.fail('user9@throttle.test', '203.0.113.7', { protocol: 'smtp' })).toMatchObject({ locked: true, scope: 'ip' });
    expect((await sut.check('anyone@throttle.test', '203.0.113.7')).locked).toBe(true);
    expect((await sut.check('anyone@throttle.test', '203.0.113.8')).locked).toBe(false);
    const [ev] = await db.dataSource.query(`SELECT ip, mailbox_id FROM abuse_events WHERE details->>'scope' = 'ip'`);
    expect(ev).toEqual({ ip: '203.0.113.7', mailbox_id: null });
  });

  it('counts concurrent failures exactly (one row per key, no lost updates)', async () => {
    await Promise.all(Array.from({ length: 20 }, () => sut.fail('race@throttle.test', undefined, { protocol: 'imap' })));
    const [row] = await db.dataSource.query(`SELECT failures FROM auth_failures WHERE scope = 'account' AND key = 'race@throttle.test'`);
    expect(row.failures).toBe(20);
    const events = await db.dataSource.query(`SELECT 1 FROM abuse_events WHERE details->>'key' = 'race@throttle.test'`);
    expect(events).toHaveLength(1);
  });
});
