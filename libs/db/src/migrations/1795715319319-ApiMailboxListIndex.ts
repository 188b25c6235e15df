import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiMailboxListIndex1795715319319 implements MigrationInterface {
  name = 'ApiMailboxListIndex1795715319319';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_mailboxes_tenant_created" ON "mailboxes"  ("tenant_id", "created_at", "id") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_mailboxes_tenant_created"`);
  }
}
