import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboundQueueLeases1795713418461 implements MigrationInterface {
  name = 'OutboundQueueLeases1795713418461';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "outbound_slots" ("id" BIGSERIAL NOT NULL, "destination" character varying(300) NOT NULL, "holder" character varying(100) NOT NULL, "lease_until" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0705000087980a1ed261bd5a356" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_7e16af03bcfe07c7e110fbac56" ON "outbound_slots"  ("destination") `);
    await q.query(`ALTER TABLE "outbound_queue" DROP CONSTRAINT "FK_0be5d36bd44cace8f000036ea52"`);
    await q.query(`ALTER TABLE "outbound_queue" ALTER COLUMN "blob_id" DROP NOT NULL`);
    await q.query(`CREATE INDEX "IDX_outbound_lease" ON "outbound_queue"  ("lease_until") WHERE state = 'sending'`);
    await q.query(`ALTER TABLE "outbound_queue" ADD CONSTRAINT "CHK_outbound_blob" CHECK (blob_id IS NOT NULL OR state IN ('sent', 'bounced', 'cancelled'))`);
    await q.query(`ALTER TABLE "outbound_queue" ADD CONSTRAINT "FK_0be5d36bd44cace8f000036ea52" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbound_queue" DROP CONSTRAINT "FK_0be5d36bd44cace8f000036ea52"`);
    await q.query(`ALTER TABLE "outbound_queue" DROP CONSTRAINT "CHK_outbound_blob"`);
    await q.query(`DROP INDEX "public"."IDX_outbound_lease"`);
    await q.query(`ALTER TABLE "outbound_queue" ALTER COLUMN "blob_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "outbound_queue" ADD CONSTRAINT "FK_0be5d36bd44cace8f000036ea52" FOREIGN KEY ("blob_id") REFERENCES "blobs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`DROP INDEX "public"."IDX_7e16af03bcfe07c7e110fbac56"`);
    await q.query(`DROP TABLE "outbound_slots"`);
  }
}
