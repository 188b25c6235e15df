import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImpersonationAndDailyStats1795718068107 implements MigrationInterface {
  name = 'ImpersonationAndDailyStats1795718068107';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "impersonation_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "operator_id" uuid NOT NULL, "tenant_id" uuid NOT NULL, "reason" character varying(500) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b735433f13b4dd6f03bd6bf2879" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_b1ec41a2b8a60fcf5a38dcf9b2" ON "impersonation_sessions"  ("operator_id") `);
    await q.query(`CREATE INDEX "IDX_2303402b5a545b69cce7c04749" ON "impersonation_sessions"  ("tenant_id") `);
    await q.query(`CREATE TABLE "platform_stats_daily" ("day" date NOT NULL, "tenants" integer NOT NULL, "domains" integer NOT NULL, "mailboxes" integer NOT NULL, "storage_bytes" bigint NOT NULL, "messages" bigint NOT NULL, "queue_size" integer NOT NULL, "open_abuse_events" integer NOT NULL, "blocked_mailboxes" integer NOT NULL, "received_messages" integer NOT NULL, "sent_messages" integer NOT NULL, "taken_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8cee146b3f37c487b2743d5357f" PRIMARY KEY ("day"))`);
    await q.query(`CREATE TABLE "tenant_stats_daily" ("day" date NOT NULL, "tenant_id" uuid NOT NULL, "domains" integer NOT NULL, "mailboxes" integer NOT NULL, "aliases" integer NOT NULL, "storage_bytes" bigint NOT NULL, "messages" bigint NOT NULL, "queue_size" integer NOT NULL, "open_abuse_events" integer NOT NULL, "blocked_mailboxes" integer NOT NULL, "received_messages" integer NOT NULL, "sent_messages" integer NOT NULL, "taken_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_e1f7cc9b23fbf10f5ca281149a3" PRIMARY KEY ("day", "tenant_id"))`);
    await q.query(`CREATE INDEX "IDX_tenant_stats_tenant_day" ON "tenant_stats_daily"  ("tenant_id", "day") `);
    await q.query(`ALTER TABLE "audit_log" ADD "impersonation_id" uuid`);
    await q.query(`CREATE INDEX "IDX_audit_impersonation" ON "audit_log"  ("impersonation_id") WHERE impersonation_id IS NOT NULL`);
    await q.query(`ALTER TABLE "impersonation_sessions" ADD CONSTRAINT "FK_b1ec41a2b8a60fcf5a38dcf9b2a" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "impersonation_sessions" ADD CONSTRAINT "FK_2303402b5a545b69cce7c047493" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "tenant_stats_daily" ADD CONSTRAINT "FK_63ae7237a80cbb64c4e9f7e3dc8" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tenant_stats_daily" DROP CONSTRAINT "FK_63ae7237a80cbb64c4e9f7e3dc8"`);
    await q.query(`ALTER TABLE "impersonation_sessions" DROP CONSTRAINT "FK_2303402b5a545b69cce7c047493"`);
    await q.query(`ALTER TABLE "impersonation_sessions" DROP CONSTRAINT "FK_b1ec41a2b8a60fcf5a38dcf9b2a"`);
    await q.query(`DROP INDEX "public"."IDX_audit_impersonation"`);
    await q.query(`ALTER TABLE "audit_log" DROP COLUMN "impersonation_id"`);
    await q.query(`DROP INDEX "public"."IDX_tenant_stats_tenant_day"`);
    await q.query(`DROP TABLE "tenant_stats_daily"`);
    await q.query(`DROP TABLE "platform_stats_daily"`);
    await q.query(`DROP INDEX "public"."IDX_2303402b5a545b69cce7c04749"`);
    await q.query(`DROP INDEX "public"."IDX_b1ec41a2b8a60fcf5a38dcf9b2"`);
    await q.query(`DROP TABLE "impersonation_sessions"`);
  }
}
