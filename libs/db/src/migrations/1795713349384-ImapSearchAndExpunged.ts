import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImapSearchAndExpunged1795713349384 implements MigrationInterface {
  name = 'ImapSearchAndExpunged1795713349384';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "expunged_messages" ("folder_id" uuid NOT NULL, "uid" bigint NOT NULL, "modseq" bigint NOT NULL, CONSTRAINT "PK_003a854f9846634fff8ddbc88b7" PRIMARY KEY ("folder_id", "uid"))`);
    await q.query(`CREATE INDEX "IDX_expunged_messages_folder_modseq" ON "expunged_messages"  ("folder_id", "modseq") `);
    await q.query(`ALTER TABLE "messages" ADD "header_text" text`);
    await q.query(`ALTER TABLE "messages" ADD "body_text" text`);
    await q.query(`ALTER TABLE "expunged_messages" ADD CONSTRAINT "FK_556acb07efb93b22ad8e9c38687" FOREIGN KEY ("folder_id") REFERENCES "folders"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // Written by hand: IMAP SEARCH BODY/TEXT are substring searches, served by a trigram index
    // (pg_trgm is a trusted extension: a database owner may create it without superuser).
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX "IDX_messages_body_trgm" ON "messages" USING gin ("body_text" gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_messages_body_trgm"`);
    await q.query(`ALTER TABLE "expunged_messages" DROP CONSTRAINT "FK_556acb07efb93b22ad8e9c38687"`);
    await q.query(`ALTER TABLE "messages" DROP COLUMN "body_text"`);
    await q.query(`ALTER TABLE "messages" DROP COLUMN "header_text"`);
    await q.query(`DROP INDEX "public"."IDX_expunged_messages_folder_modseq"`);
    await q.query(`DROP TABLE "expunged_messages"`);
  }
}
