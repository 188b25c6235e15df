import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from './data-source.js';
import { pendingSchemaDiff, runMigrations } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { MIGRATIONS } from './migrations/index.js';

describe('entities and migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('agree: a freshly migrated database has no pending schema diff', async () => {
    const diff = await pendingSchemaDiff(db.dataSource);
    expect(diff).toEqual([]);
  });

  it('applied every committed migration', async () => {
    const rows: { name: string }[] = await db.dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((M) => new M().name));
  });

  it('migrates through a pool of one connection (what an engine process uses), the lock held on that connection', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    const ds = createDataSource({ url: fresh.url, poolSize: 1, applicationName: 'darwin-test-migrate' });
    try {
      await ds.initialize();
      const applied = await Promise.race([runMigrations(ds), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('runMigrations hung')), 20_000))]);
      expect(applied).toEqual(MIGRATIONS.map((M) => new M().name));
      expect(await runMigrations(ds)).toEqual([]);
    } finally {
      await ds.destroy();
      await fresh.drop();
    }
  });

  it('keeps the audit log append-only', async () => {
    await db.dataSource.query(
      `INSERT INTO audit_log (actor_type, actor_label, action, target_type) VALUES ('system', 'test', 'x.create', 'x')`,
    );
    await expect(db.dataSource.query(`UPDATE audit_log SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('refuses mixed-case addresses and domains', async () => {
    const [plan] = await db.dataSource.query(
      `INSERT INTO plans (name, max_domains, max_mailboxes, max_aliases, storage_bytes, default_mailbox_quota_bytes,
        max_mailbox_quota_bytes, max_message_bytes, send_per_minute, send_per_hour, send_per_day, max_recipients_per_message)
       VALUES ('p', 1, 1, 1, 1000, 100, 100, 100, 1, 1, 1, 1) RETURNING id`,
    );
    const [tenant] = await db.dataSource.query(`INSERT INTO tenants (name, plan_id) VALUES ('t', $1) RETURNING id`, [plan.id]);
    await expect(
      db.dataSource.query(`INSERT INTO domains (tenant_id, name) VALUES ($1, 'Example.COM')`, [tenant.id]),
    ).rejects.toThrow(/CHK_domains_name_lower/);
  });
});
