import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shared failed-login counters (all protocols) and per-day mail statistics. */

export class LoginThrottleAndStats1795712763267 implements MigrationInterface {
  name = 'LoginThrottleAndStats1795712763267';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "auth_failures" ("scope" character varying(16) NOT NULL, "key" character varying(254) NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "failures" integer NOT NULL, "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CHK_auth_failures_scope" CHECK (scope IN ('account', 'ip')), CONSTRAINT "PK_107f6e1e3d305c3ce39702fc3b7" PRIMARY KEY ("scope", "key"))`);
    await q.query(`CREATE INDEX "IDX_auth_failures_locked" ON "auth_failures"  ("locked_until") WHERE locked_until IS NOT NULL`);
    await q.query(`CREATE TABLE "mail_stats_daily" ("day" date NOT NULL, "mailbox_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "received_messages" integer NOT NULL DEFAULT '0', "received_bytes" bigint NOT NULL DEFAULT '0', "sent_messages" integer NOT NULL DEFAULT '0', "sent_bytes" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_053f9c89385cdc7dfb02cdf6acb" PRIMARY KEY ("day", "mailbox_id"))`);
    await q.query(`CREATE INDEX "IDX_mail_stats_tenant_day" ON "mail_stats_daily"  ("tenant_id", "day") `);
    await q.query(`ALTER TABLE "mail_stats_daily" ADD CONSTRAINT "FK_327278ecf976fbbe6c1da8076ef" FOREIGN KEY ("mailbox_id") REFERENCES "mailboxes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "mail_stats_daily" ADD CONSTRAINT "FK_2ad5876796319580896e911c6cb" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "mail_stats_daily" DROP CONSTRAINT "FK_2ad5876796319580896e911c6cb"`);
    await q.query(`ALTER TABLE "mail_stats_daily" DROP CONSTRAINT "FK_327278ecf976fbbe6c1da8076ef"`);
    await q.query(`DROP INDEX "public"."IDX_mail_stats_tenant_day"`);
    await q.query(`DROP TABLE "mail_stats_daily"`);
    await q.query(`DROP INDEX "public"."IDX_auth_failures_locked"`);
    await q.query(`DROP TABLE "auth_failures"`);
  }
}
