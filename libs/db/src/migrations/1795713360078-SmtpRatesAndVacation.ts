import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sliding send-rate counters for submission (burst detection) and the vacation reply log (RFC 3834). */

export class SmtpRatesAndVacation1795713360078 implements MigrationInterface {
  name = 'SmtpRatesAndVacation1795713360078';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "send_rate_buckets" ("scope" character varying(8) NOT NULL, "subject_id" uuid NOT NULL, "span" character varying(8) NOT NULL, "bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "accepted" integer NOT NULL DEFAULT '0', CONSTRAINT "CHK_send_rate_span" CHECK (span IN ('second', 'minute', 'hour')), CONSTRAINT "CHK_send_rate_scope" CHECK (scope IN ('mailbox', 'tenant')), CONSTRAINT "PK_70a87338e64c5598ee318736385" PRIMARY KEY ("scope", "subject_id", "span", "bucket"))`);
    await q.query(`CREATE INDEX "IDX_send_rate_buckets_bucket" ON "send_rate_buckets"  ("bucket") `);
    await q.query(`CREATE TABLE "vacation_replies" ("mailbox_id" uuid NOT NULL, "sender" character varying(254) NOT NULL, "last_sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a953c19d555b25618d6164a285f" PRIMARY KEY ("mailbox_id", "sender"))`);
    await q.query(`ALTER TABLE "vacation_replies" ADD CONSTRAINT "FK_dd52b49230dddcc66c5049ae165" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "vacation_replies" DROP CONSTRAINT "FK_dd52b49230dddcc66c5049ae165"`);
    await q.query(`DROP TABLE "vacation_replies"`);
    await q.query(`DROP INDEX "public"."IDX_send_rate_buckets_bucket"`);
    await q.query(`DROP TABLE "send_rate_buckets"`);
  }
}
