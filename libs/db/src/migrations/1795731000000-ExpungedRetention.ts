import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Expunge records get a time so they can be pruned (every POP3 download-and-delete left one
 * forever); each folder remembers the highest modseq it pruned, below which VANISHED is computed
 * from the UIDs still present.
 */
export class ExpungedRetention1795731000000 implements MigrationInterface {
  name = 'ExpungedRetention1795731000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "expunged_messages" ADD "expunged_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE "folders" ADD "vanished_horizon" bigint NOT NULL DEFAULT '0'`);
    await q.query(`CREATE INDEX "IDX_expunged_messages_expunged_at" ON "expunged_messages" ("expunged_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_expunged_messages_expunged_at"`);
    await q.query(`ALTER TABLE "folders" DROP COLUMN "vanished_horizon"`);
    await q.query(`ALTER TABLE "expunged_messages" DROP COLUMN "expunged_at"`);
  }
}
